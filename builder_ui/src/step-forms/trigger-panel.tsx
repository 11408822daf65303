/** Placeholder (issue 6): the trigger's panel: trigger filters and automation settings. */
import type { Problem } from "../api/client";
import type { Catalog, Definition } from "../definition/definition";

export interface TriggerPanelProps {
  /** The whole definition; the panel edits `name`, `trigger`, `exit_on` and `settings`. */
  definition: Definition;
  catalog: Catalog;
  /** Problems not tied to a step (no `step_id`): trigger, settings, name. */
  problems: readonly Problem[];
  readOnly: boolean;
  /** The definition with the panel's edits (its `steps` untouched). */
  onChange: (definition: Definition) => void;
}

export function TriggerPanel({ definition }: TriggerPanelProps) {
  return <h2>{definition.trigger.event}</h2>;
}
