/** The API's problems as a list, in the words it gave. */
import type { Problem } from "../api/client";
import { useT } from "../i18n/i18n";

export interface ProblemListProps {
  problems: readonly Problem[];
  /** A heading; empty for a list beside the inputs it concerns. */
  title: string;
  compact?: boolean;
}

export function ProblemList({ problems, title, compact = false }: ProblemListProps) {
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <div
      className={`notice notice--error step-forms__problems${compact ? " step-forms__problems--compact" : ""}`}
      role="region"
      aria-label={title || t("step-forms.problems")}
    >
      {title ? <p className="step-forms__problems-title">{title}</p> : null}
      <ul>
        {problems.map((problem, index) => (
          <li key={`${problem.field}-${index}`}>{problem.message}</li>
        ))}
      </ul>
    </div>
  );
}
