/** Every validation problem; picking one selects its node (the trigger for those without a step). */
import { useId } from "react";
import type { Problem } from "../api/client";
import { useT } from "../i18n/i18n";
import { TRIGGER_NODE_ID } from "./to-definition";

export interface ProblemsListProps {
  problems: readonly Problem[];
  onSelect: (nodeId: string) => void;
}

export function ProblemsList({ problems, onSelect }: ProblemsListProps) {
  const headingId = useId();
  const t = useT();
  if (problems.length === 0) return null;
  return (
    <section className="problems-list" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {t("flow-editor.problems-list.title", { count: problems.length })}
      </h2>
      <ul>
        {problems.map((problem, index) => {
          // The message is the server's: said as it comes.
          const where = problem.step_id ?? t("flow-editor.trigger-and-settings");
          return (
            <li key={`${where}-${problem.field}-${index}`}>
              <button type="button" className="problems-list__item" onClick={() => onSelect(problem.step_id ?? TRIGGER_NODE_ID)}>
                <strong>{where}</strong>
                {problem.field ? <code>{problem.field}</code> : null} {problem.message}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
