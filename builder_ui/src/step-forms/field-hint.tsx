/** The words under an input: its description and the problems the API found in it. */
import type { ReactNode } from "react";

export interface FieldHintProps {
  id: string;
  hint?: ReactNode;
  problems?: readonly string[];
}

/** The id to put in `aria-describedby`, or undefined when there is nothing to describe. */
export function describedBy(id: string, hint: unknown, problems: readonly string[] = []) {
  return hint || problems.length > 0 ? id : undefined;
}

export function FieldHint({ id, hint, problems = [] }: FieldHintProps) {
  if (!hint && problems.length === 0) return null;
  return (
    <div id={id} className="step-forms__hint">
      {hint ? <span>{hint}</span> : null}
      {problems.map((problem) => (
        <span key={problem} className="step-forms__problem">
          {problem}
        </span>
      ))}
    </div>
  );
}
