/**
 * "Try on past carts" (issue 15): the simulation API (`POST /automations/{id}/simulate`, then
 * `GET /simulations/{id}` while it runs in the background) and how its figures read, on the
 * canvas and in the panel. The engine computes every figure; nothing is added up here but
 * the badges' totals of one step.
 */
import { unwrap, type Api, type Schemas } from "../api/client";
import type { Definition } from "../definition/definition";
import type { StepBadge } from "../flow-editor/canvas-context";
import type { MessageKey } from "../i18n/catalogue";
import { translate, type Language, type Translate } from "../i18n/i18n";
import { stateLabel } from "../journeys/journey-format";

export type SimulationRequest = Schemas["SimulationRequest"];
export type SimulationStatus = Schemas["SimulationStatus"];
export type SimulationTotals = Schemas["SimulationTotals"];
export type SimulationDifference = Schemas["SimulationDifference"];
export type CartTimeline = Schemas["CartTimeline"];
export type CartTimelines = Schemas["CartTimelines"];

/** How many carts by default, and at most (the API's own limits). */
export const DEFAULT_CARTS = 1_000;
export const MAX_CARTS = 100_000;
/** How often a background run's progress is asked for. */
export const POLL_MS = 1_000;
export const TIMELINES_PAGE = 20;

/** What the marketer picked in the panel. */
export interface SimulationChoice {
  /** "draft": what the editor shows; a number: that published version. */
  tried: "draft" | number;
  carts: number;
  compareWithLive: boolean;
}

/**
 * The request for `choice`. The draft is the canvas: sent as `definition` when it has unsaved
 * changes, left out otherwise (the API then takes the saved draft, else the live version).
 */
export function simulationRequest(choice: SimulationChoice, canvas: Definition, unsaved: boolean): SimulationRequest {
  const request: SimulationRequest = { carts: { last: choice.carts } };
  if (choice.tried === "draft") {
    if (unsaved) request.definition = canvas as unknown as Record<string, unknown>;
  } else {
    request.version = choice.tried;
  }
  if (choice.compareWithLive) request.compare_to = "live";
  return request;
}

export function startSimulation(api: Api, automationId: string, request: SimulationRequest): Promise<SimulationStatus> {
  return unwrap(
    api.POST("/api/v1/automations/{automation_id}/simulate", {
      params: { path: { automation_id: automationId } },
      body: request,
    }),
  );
}

export function loadSimulation(api: Api, simulationId: string, signal?: AbortSignal): Promise<SimulationStatus> {
  return unwrap(
    api.GET("/api/v1/simulations/{simulation_id}", {
      params: { path: { simulation_id: simulationId } },
      ...(signal ? { signal } : {}),
    }),
  );
}

export function loadCartTimelines(
  api: Api,
  simulationId: string,
  { cursor, flagged }: { cursor: string | null; flagged: boolean },
  signal?: AbortSignal,
): Promise<CartTimelines> {
  const query: { limit: number; cursor?: string; flagged?: boolean } = { limit: TIMELINES_PAGE };
  if (cursor !== null) query.cursor = cursor;
  if (flagged) query.flagged = true;
  return unwrap(
    api.GET("/api/v1/simulations/{simulation_id}/carts", {
      params: { path: { simulation_id: simulationId }, query },
      ...(signal ? { signal } : {}),
    }),
  );
}

/** "+120", "−30" (a real minus sign), "0", in the reader's digits. */
export function signed(count: number, language: Language): string {
  const digits = new Intl.NumberFormat(language);
  if (count > 0) return `+${digits.format(count)}`;
  if (count < 0) return `−${digits.format(Math.abs(count))}`;
  return "0";
}

function sum(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((total, n) => total + n, 0);
}

/** "not_entered" → "not entered": the API's words, as a sentence says them. */
export function words(key: string): string {
  return key.replaceAll("_", " ");
}

const NOT_ENTERED_KEYS: Readonly<Record<string, MessageKey>> = {
  filtered: "simulation.not-entered.filtered",
  no_consent: "simulation.not-entered.no_consent",
  cooldown: "simulation.not-entered.cooldown",
  refused: "simulation.not-entered.refused",
  unknown: "simulation.not-entered.unknown",
};

/** Why a cart would not enter, in the reader's words ("filtered", "no consent"). */
export function notEnteredReason(t: Translate, reason: string): string {
  const key = Object.hasOwn(NOT_ENTERED_KEYS, reason) ? NOT_ENTERED_KEYS[reason] : undefined;
  return key ? t(key) : words(reason);
}

const EVENT_KEYS: Readonly<Record<string, MessageKey>> = {
  cart_abandoned: "simulation.event.cart_abandoned",
  cart_updated: "simulation.event.cart_updated",
  checkout_started: "simulation.event.checkout_started",
  cart_recovered: "simulation.event.cart_recovered",
  order_placed: "simulation.event.order_placed",
  order_paid: "simulation.event.order_paid",
  order_fulfilled: "simulation.event.order_fulfilled",
  order_delivered: "simulation.event.order_delivered",
  order_cancelled: "simulation.event.order_cancelled",
  unsubscribed: "simulation.event.unsubscribed",
  email_clicked: "simulation.event.email_clicked",
};

/** A customer's event inside a sentence ("order placed"); one newer than the UI as the API names it. */
export function eventWords(t: Translate, event: string): string {
  const key = Object.hasOwn(EVENT_KEYS, event) ? EVENT_KEYS[event] : undefined;
  return key ? t(key) : words(event);
}

/** How a cart's journey would end ("purchased", "lost"); an exit step's own word as it is said. */
export function outcomeWords(t: Translate, outcome: string): string {
  return stateLabel(t, outcome, words);
}

const inEnglish: Translate = (key, params) => translate("en", key, params);

/**
 * Each step's simulated figures as canvas badges: emails, codes, failures, journeys stopped
 * there, and, compared with another version, the change in emails, codes and journeys
 * stopped there ("+120 emails vs live"). A step with nothing to say has no badges. In
 * English unless given the reader's `t` and `language`.
 */
export function simulationBadges(status: SimulationStatus, t: Translate = inEnglish, language: Language = "en"): Map<string, StepBadge[]> {
  const badges = new Map<string, StepBadge[]>();
  const add = (stepId: string, badge: StepBadge) => badges.set(stepId, [...(badges.get(stepId) ?? []), badge]);
  const change = (key: MessageKey, count: number) => t(key, { count: Math.abs(count), change: signed(count, language) });
  for (const [stepId, step] of Object.entries(status.totals?.steps ?? {})) {
    if (step.emails > 0 || step.ran?.["sent"] !== undefined) add(stepId, { text: t("simulation.count.emails", { count: step.emails }) });
    if (step.codes > 0) add(stepId, { text: t("simulation.count.codes", { count: step.codes }) });
    const failed = step.ran?.["failed"] ?? 0;
    if (failed > 0) add(stepId, { text: t("simulation.badge.failed", { count: failed }), tone: "bad" });
    const stopped = sum(step.stopped_here);
    if (stopped > 0) add(stepId, { text: t("simulation.badge.stopped", { count: stopped }) });
  }
  // The panel compares with the live version only.
  for (const difference of status.difference?.steps ?? []) {
    const stepId = difference.step_id;
    if (difference.emails !== 0) add(stepId, { text: change("simulation.badge.emails-vs-live", difference.emails), tone: "change" });
    if (difference.codes !== 0) add(stepId, { text: change("simulation.badge.codes-vs-live", difference.codes), tone: "change" });
    if (difference.stopped_here !== 0) {
      add(stepId, { text: change("simulation.badge.stopped-vs-live", difference.stopped_here), tone: "change" });
    }
  }
  return badges;
}

/** What was tried, in words: "the draft", "version 3". */
export function triedText(tried: Schemas["SimulatedDefinition"], t: Translate): string {
  if (tried.kind === "version") return t("simulation.tried.version", { version: String(tried.version ?? "?") });
  return t(tried.kind === "definition" ? "simulation.tried.draft-unsaved" : "simulation.tried.draft");
}
