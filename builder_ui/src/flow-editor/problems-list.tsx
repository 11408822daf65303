/** Every validation problem; picking one selects its node (the trigger for those without a step). */
import { useId } from "react";
import type { Problem } from "../api/client";
import { TRIGGER_NODE_ID } from "./to-definition";

export interface ProblemsListProps {
  problems: readonly Problem[];
  onSelect: (nodeId: string) => void;
}

export function ProblemsList({ problems, onSelect }: ProblemsListProps) {
  const headingId = useId();
  if (problems.length === 0) return null;
  return (
    <section className="problems-list" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {problems.length} {problems.length === 1 ? "problem" : "problems"} to fix before publishing
      </h2>
      <ul>
        {problems.map((problem, index) => {
          const where = problem.step_id ?? "Trigger and settings";
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
