/** The steps a journey has done, oldest first: when, which step, and what happened. */
import { useLanguage, useT } from "../i18n/i18n";
import type { JourneyStepDone } from "./journey-format";
import { describeStep, formatWhen } from "./journey-format";

export function JourneyTimeline({ steps }: { steps: readonly JourneyStepDone[] }) {
  const t = useT();
  const { language } = useLanguage();
  if (steps.length === 0) {
    return <p className="hint">{t("journeys.journey.no-steps")}</p>;
  }
  return (
    <ol className="journey__timeline" aria-label={t("journeys.journey.steps-done")}>
      {steps.map((step, index) => (
        <li key={`${index}-${step.step_id}`} className="journey__timeline-item">
          <time dateTime={step.at} className="journey__timeline-when">
            {formatWhen(step.at, language)}
          </time>
          <span className="journey__timeline-step">
            <code>{step.step_id}</code>
          </span>
          <span>{describeStep(step, t, language)}</span>
        </li>
      ))}
    </ol>
  );
}
