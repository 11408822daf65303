/** Placeholder (issue 6): the side panel that edits one step. */
import type { Problem } from "../api/client";
import type { Catalog, Step } from "../definition/definition";

export interface StepPanelProps {
  step: Step;
  catalog: Catalog;
  /** The problems the API reported for this step (`step_id` equal to its id). */
  problems: readonly Problem[];
  /** Support and other readers see the step without editing controls. */
  readOnly: boolean;
  /** The edited step, whole (same id); the caller keeps undo history. */
  onChange: (step: Step) => void;
}

export function StepPanel({ step }: StepPanelProps) {
  return <h2>{step.id}</h2>;
}
