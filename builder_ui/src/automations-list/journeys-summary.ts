/** Plain-language summaries of what activating or deactivating did to running journeys. */
import type { Schemas } from "../api/client";

type JourneysChanged = Schemas["JourneysChanged"];

const DONE: Record<string, string> = { pause: "paused", resume: "resumed", cancel: "cancelled" };

function journeys(count: number): string {
  return count === 1 ? "1 journey" : `${count} journeys`;
}

/** "3 journeys paused, 1 already was; 1 could not be changed (…)." */
export function describeJourneys(changed: JourneysChanged): string {
  const done = DONE[changed.command] ?? changed.command;
  const parts = [`${journeys(changed.changed)} ${done}`];
  if (changed.unchanged > 0) {
    parts.push(`${changed.unchanged} already ${changed.unchanged === 1 ? "was" : "were"}`);
  }
  let text = parts.join(", ");
  const [firstFailure] = changed.failed;
  if (firstFailure !== undefined) {
    text += `; ${journeys(changed.failed.length)} could not be ${done} (${firstFailure.reason})`;
  }
  return `${text}.`;
}

export function runningJourneysText(running: number | null): string {
  if (running === null) return "The number of running journeys is unknown right now.";
  return running === 1 ? "1 journey is running." : `${running} journeys are running.`;
}
