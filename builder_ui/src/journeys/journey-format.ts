/**
 * How journeys read to a person: what a search box's text asks for, times relative to now, and
 * what each recorded step did (the API gives `{step_id, type, detail}`; support reads sentences).
 */
import type { Schemas } from "../api/client";

export type JourneyStepDone = Schemas["JourneyStepDone"];

/** What the search box asked for: an @ means a customer's email, anything else a cart id. */
export type JourneyQuery = { customer_email: string } | { cart_id: string };

export function parseJourneyQuery(text: string): JourneyQuery | null {
  const value = text.trim();
  if (value === "") return null;
  return value.includes("@") ? { customer_email: value } : { cart_id: value };
}

/** `journey:{automation_id}:{subject_id}` → the subject (a cart or an order id). */
export function journeySubject(journeyId: string): string {
  const parts = journeyId.split(":");
  return parts.length >= 3 ? parts.slice(2).join(":") : journeyId;
}

/** The route of a journey's page: ids hold ':', which a path segment must carry encoded. */
export function journeyPath(journeyId: string): string {
  return `/journeys/${encodeURIComponent(journeyId)}`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** An instant in the reader's own time zone. */
export function formatWhen(iso: string): string {
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? iso : dateTime.format(when);
}

/** "in 1 h 59 min", "3 min ago", "in 2 d 4 h": coarse enough to read at a glance. */
export function formatRelative(iso: string, now: Date): string {
  const target = new Date(iso).getTime();
  if (Number.isNaN(target)) return "";
  const seconds = Math.round((target - now.getTime()) / 1000);
  const span = spanOf(Math.abs(seconds));
  if (span === "") return "now";
  return seconds > 0 ? `in ${span}` : `${span} ago`;
}

function spanOf(totalSeconds: number): string {
  if (totalSeconds < 1) return "";
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes} min`;
  const totalHours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (totalHours < 24) return minutes === 0 ? `${totalHours} h` : `${totalHours} h ${minutes} min`;
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

/** A journey that ended can no longer be paused, resumed or cancelled. */
export function isRunning(journey: { status: string }): boolean {
  return journey.status === "running";
}

/** One word for the list and the badge: paused, running, or how it ended. */
export function journeyState(journey: { status: string; outcome: string | null; paused?: boolean }): string {
  if (journey.status === "running") return journey.paused ? "paused" : "running";
  return journey.outcome ?? journey.status;
}

/** What a recorded step did, in a sentence. */
export function describeStep(step: JourneyStepDone): string {
  const detail = step.detail;
  const text = (key: string): string | null => {
    const value = detail[key];
    return typeof value === "string" && value !== "" ? value : null;
  };
  switch (step.type) {
    case "wait":
    case "wait_until":
      return "Waited until the set time";
    case "wait_for_event":
      return detail["timed_out"] === true
        ? "Timed out waiting for the event"
        : `Received ${text("event") ?? "the event"}`;
    case "condition":
      return text("branch") === "then" ? "Condition true: took the yes branch" : "Condition false: took the no branch";
    case "ab_split":
      return `Chose variant ${text("variant") ?? "?"}`;
    case "deferred": {
      const until = text("until");
      const why = text("why") ?? "deferred";
      return until ? `Held back (${why}) until ${formatWhen(until)}` : `Held back (${why})`;
    }
    case "exit":
      return "Reached an exit step";
    case "finish":
      return describeFinish(text("outcome"), text("reason"), text("recovered_via"), step.step_id);
    case "action":
      return describeAction(detail);
    default:
      return step.type;
  }
}

function describeFinish(
  outcome: string | null,
  reason: string | null,
  recoveredVia: string | null,
  endedBy: string,
): string {
  const parts = [`Ended: ${outcome ?? "finished"}`];
  if (endedBy !== "end" && endedBy !== "cancel") parts.push(`by ${endedBy}`);
  if (recoveredVia) parts.push(`credited to ${recoveredVia}`);
  const sentence = parts.join(", ");
  return reason ? `${sentence} (${reason})` : sentence;
}

/** An action's result: its status first, then the non-personal facts it returned. */
function describeAction(detail: Record<string, unknown>): string {
  const status = typeof detail["status"] === "string" ? detail["status"] : "done";
  const facts = Object.entries(detail)
    .filter(([key, value]) => key !== "status" && value !== null && typeof value !== "object")
    .map(([key, value]) => `${key.replaceAll("_", " ")}: ${String(value)}`);
  const head = `Action ${status}`;
  return facts.length === 0 ? head : `${head} (${facts.join(", ")})`;
}
