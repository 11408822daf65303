/** The steps a journey has done, oldest first: when, which step, and what happened. */
import type { JourneyStepDone } from "./journey-format";
import { describeStep, formatWhen } from "./journey-format";

export function JourneyTimeline({ steps }: { steps: readonly JourneyStepDone[] }) {
  if (steps.length === 0) {
    return <p className="hint">No step has finished yet: the journey is at its first step.</p>;
  }
  return (
    <ol className="journey__timeline" aria-label="Steps done">
      {steps.map((step, index) => (
        <li key={`${index}-${step.step_id}`} className="journey__timeline-item">
          <time dateTime={step.at} className="journey__timeline-when">
            {formatWhen(step.at)}
          </time>
          <span className="journey__timeline-step">
            <code>{step.step_id}</code>
          </span>
          <span>{describeStep(step)}</span>
        </li>
      ))}
    </ol>
  );
}
