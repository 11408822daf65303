/**
 * How journeys read to a person: what a search box's text asks for, times relative to now, and
 * what each recorded step did (the API gives `{step_id, type, detail}`; support reads sentences).
 */
import type { Schemas } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";
import { formatWhen } from "../i18n/format";
import type { Language, Translate } from "../i18n/i18n";

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

// Where the journeys write times; one formatter for every page that does.
export { formatWhen };

/** "in 1 h 59 min", "3 min ago", "in 2 d 4 h": coarse enough to read at a glance. */
export function formatRelative(iso: string, now: Date, t: Translate): string {
  const target = new Date(iso).getTime();
  if (Number.isNaN(target)) return "";
  const seconds = Math.round((target - now.getTime()) / 1000);
  const span = spanOf(Math.abs(seconds), t);
  if (span === "") return t("journeys.relative.now");
  return t(seconds > 0 ? "journeys.relative.in" : "journeys.relative.ago", { span });
}

function spanOf(totalSeconds: number, t: Translate): string {
  if (totalSeconds < 1) return "";
  if (totalSeconds < 60) return t("journeys.span.seconds", { s: totalSeconds });
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return t("journeys.span.minutes", { m: totalMinutes });
  const totalHours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  if (totalHours < 24) {
    return minutes === 0 ? t("journeys.span.hours", { h: totalHours }) : t("journeys.span.hours-minutes", { h: totalHours, m: minutes });
  }
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours === 0 ? t("journeys.span.days", { d: days }) : t("journeys.span.days-hours", { d: days, h: hours });
}

/** A journey that ended can no longer be paused, resumed or cancelled. */
export function isRunning(journey: { status: string }): boolean {
  return journey.status === "running";
}

/** One word for the list and the badge: paused, running, or how it ended (the engine's word). */
export function journeyState(journey: { status: string; outcome: string | null; paused?: boolean }): string {
  if (journey.status === "running") return journey.paused ? "paused" : "running";
  return journey.outcome ?? journey.status;
}

const STATE_KEYS: Readonly<Record<string, MessageKey>> = {
  running: "journeys.state.running",
  paused: "journeys.state.paused",
  completed: "journeys.state.completed",
  finished: "journeys.state.finished",
  lost: "journeys.state.lost",
  converted: "journeys.state.converted",
  recovered: "journeys.state.recovered",
  purchased: "journeys.state.purchased",
  unsubscribed: "journeys.state.unsubscribed",
  order_cancelled: "journeys.state.order_cancelled",
  cancelled: "journeys.state.cancelled",
  failed: "journeys.state.failed",
  terminated: "journeys.state.terminated",
  timed_out: "journeys.state.timed_out",
  stuck: "journeys.state.stuck",
  unknown: "journeys.state.unknown",
  sent: "journeys.state.sent",
  skipped: "journeys.state.skipped",
};

/**
 * A state or outcome in the reader's words: the engine's own (`running`, `lost`, `recovered`…)
 * translated; an outcome an exit step named itself is shown as `fallback` makes it (as it is).
 */
export function stateLabel(t: Translate, word: string, fallback: (word: string) => string = (same) => same): string {
  const key = Object.hasOwn(STATE_KEYS, word) ? STATE_KEYS[word] : undefined;
  return key ? t(key) : fallback(word);
}

/** What a recorded step did, in a sentence. */
export function describeStep(step: JourneyStepDone, t: Translate, language?: Language): string {
  const detail = step.detail;
  const text = (key: string): string | null => {
    const value = detail[key];
    return typeof value === "string" && value !== "" ? value : null;
  };
  switch (step.type) {
    case "wait":
    case "wait_until":
      return t("journeys.step.waited");
    case "wait_for_event": {
      if (detail["timed_out"] === true) return t("journeys.step.timed-out");
      const event = text("event");
      return event ? t("journeys.step.received", { event }) : t("journeys.step.received-any");
    }
    case "condition":
      return t(text("branch") === "then" ? "journeys.step.condition-true" : "journeys.step.condition-false");
    case "ab_split":
      return t("journeys.step.variant", { variant: text("variant") ?? "?" });
    case "deferred": {
      // Why is the engine's word (quiet hours, the provider's reason): shown as it is sent.
      const until = text("until");
      const why = text("why") ?? "deferred";
      return until
        ? t("journeys.step.held-back-until", { why, when: formatWhen(until, language) })
        : t("journeys.step.held-back", { why });
    }
    case "exit":
      return t("journeys.step.exit");
    case "finish":
      return describeFinish(t, text("outcome"), text("reason"), text("recovered_via"), step.step_id);
    case "action":
      return describeAction(t, detail);
    default:
      return step.type;
  }
}

function describeFinish(
  t: Translate,
  outcome: string | null,
  reason: string | null,
  recoveredVia: string | null,
  endedBy: string,
): string {
  const parts = [t("journeys.step.ended", { outcome: stateLabel(t, outcome ?? "finished") })];
  if (endedBy !== "end" && endedBy !== "cancel") parts.push(t("journeys.step.ended-by", { step: endedBy }));
  if (recoveredVia) parts.push(t("journeys.step.credited", { step: recoveredVia }));
  const sentence = parts.join(t("journeys.step.list-separator"));
  return reason ? t("journeys.step.with-reason", { sentence, reason }) : sentence;
}

/**
 * An action's result: its status first, then the non-personal facts it returned (the
 * action's own keys and values, shown as it sent them).
 */
function describeAction(t: Translate, detail: Record<string, unknown>): string {
  const status = typeof detail["status"] === "string" ? stateLabel(t, detail["status"]) : t("journeys.step.action-done");
  const facts = Object.entries(detail)
    .filter(([key, value]) => key !== "status" && value !== null && typeof value !== "object")
    .map(([key, value]) => `${key.replaceAll("_", " ")}: ${String(value)}`);
  const head = t("journeys.step.action", { status });
  return facts.length === 0 ? head : t("journeys.step.with-reason", { sentence: head, reason: facts.join(t("journeys.step.list-separator")) });
}
