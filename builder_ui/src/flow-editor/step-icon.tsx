/** A small line icon per step type, drawn in SVG (emoji fonts are not everywhere). */
import type { Step } from "../definition/definition";

export type IconKind = Step["type"] | "trigger";

const PATHS: Record<IconKind, string> = {
  trigger: "M5 3l8 5-8 5z",
  wait: "M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM8 5v3l2 2",
  wait_until: "M3 4h10v9H3zM3 7h10M6 2v3M10 2v3",
  wait_for_event: "M4 2h8M4 14h8M5 2c0 4 6 4 6 6s-6 2-6 6M11 2c0 4-6 4-6 6s6 2 6 6",
  condition: "M8 2l6 6-6 6-6-6z",
  ab_split: "M8 14V8M8 8L3 3M8 8l5-5",
  action: "M9 1L3 9h5l-1 6 6-8H8z",
  exit: "M4 4h8v8H4z",
};

export function StepIcon({ kind }: { kind: IconKind }) {
  return (
    <svg className="flow-node__icon" viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
      <path d={PATHS[kind]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
