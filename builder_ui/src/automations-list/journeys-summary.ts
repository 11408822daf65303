/** Plain-language summaries of what activating or deactivating did to running journeys. */
import type { Schemas } from "../api/client";
import type { Translate } from "../i18n/i18n";

type JourneysChanged = Schemas["JourneysChanged"];

const DONE = {
  pause: ["automations-list.journeys.paused", "automations-list.journeys.failed-pause"],
  resume: ["automations-list.journeys.resumed", "automations-list.journeys.failed-resume"],
  cancel: ["automations-list.journeys.cancelled", "automations-list.journeys.failed-cancel"],
} as const;

function isKnown(command: string): command is keyof typeof DONE {
  return Object.hasOwn(DONE, command);
}

/** "3 journeys paused, 1 already was; 1 could not be changed (…)." */
export function describeJourneys(changed: JourneysChanged, t: Translate): string {
  const { command } = changed;
  const parts = [
    isKnown(command)
      ? t(DONE[command][0], { count: changed.changed })
      : t("automations-list.journeys.changed", { count: changed.changed, command }),
  ];
  if (changed.unchanged > 0) parts.push(t("automations-list.journeys.already", { count: changed.unchanged }));
  const done = parts.join(t("automations-list.journeys.list-separator"));
  const [firstFailure] = changed.failed;
  if (firstFailure === undefined) return t("automations-list.journeys.summary", { done });
  const params = { count: changed.failed.length, reason: firstFailure.reason, command };
  const failed = isKnown(command) ? t(DONE[command][1], params) : t("automations-list.journeys.failed", params);
  return t("automations-list.journeys.summary-failed", { done, failed });
}

export function runningJourneysText(running: number | null, t: Translate): string {
  if (running === null) return t("automations-list.journeys.running-unknown");
  return t("automations-list.journeys.running", { count: running });
}
