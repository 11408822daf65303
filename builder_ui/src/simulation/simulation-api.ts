/**
 * "Try on past carts" (issue 15): the simulation API (`POST /automations/{id}/simulate`, then
 * `GET /simulations/{id}` while it runs in the background) and how its figures read, on the
 * canvas and in the panel. The engine computes every figure; nothing is added up here but
 * the badges' totals of one step.
 */
import { unwrap, type Api, type Schemas } from "../api/client";
import type { Definition } from "../definition/definition";
import type { StepBadge } from "../flow-editor/canvas-context";

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

/** "1 email", "3 emails". */
export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;
}

function unit(count: number, word: string): string {
  return Math.abs(count) === 1 ? word : `${word}s`;
}

/** "+120", "−30" (a real minus sign), "0". */
export function signed(count: number): string {
  if (count > 0) return `+${count.toLocaleString("en")}`;
  if (count < 0) return `−${Math.abs(count).toLocaleString("en")}`;
  return "0";
}

function sum(counts: Record<string, number> | undefined): number {
  return Object.values(counts ?? {}).reduce((total, n) => total + n, 0);
}

/** "not_entered" → "not entered": the API's words, as a sentence says them. */
export function words(key: string): string {
  return key.replaceAll("_", " ");
}

/**
 * Each step's simulated figures as canvas badges: emails, codes, failures, journeys stopped
 * there, and, compared with another version, the change in emails, codes and journeys
 * stopped there ("+120 emails vs live"). A step with nothing to say has no badges.
 */
export function simulationBadges(status: SimulationStatus): Map<string, StepBadge[]> {
  const badges = new Map<string, StepBadge[]>();
  const add = (stepId: string, badge: StepBadge) => badges.set(stepId, [...(badges.get(stepId) ?? []), badge]);
  for (const [stepId, step] of Object.entries(status.totals?.steps ?? {})) {
    if (step.emails > 0 || step.ran?.["sent"] !== undefined) add(stepId, { text: plural(step.emails, "email") });
    if (step.codes > 0) add(stepId, { text: plural(step.codes, "code") });
    const failed = step.ran?.["failed"] ?? 0;
    if (failed > 0) add(stepId, { text: `${failed.toLocaleString("en")} failed`, tone: "bad" });
    const stopped = sum(step.stopped_here);
    if (stopped > 0) add(stepId, { text: `${stopped.toLocaleString("en")} stopped here` });
  }
  // The panel compares with the live version only.
  for (const change of status.difference?.steps ?? []) {
    if (change.emails !== 0) add(change.step_id, { text: `${signed(change.emails)} ${unit(change.emails, "email")} vs live`, tone: "change" });
    if (change.codes !== 0) add(change.step_id, { text: `${signed(change.codes)} ${unit(change.codes, "code")} vs live`, tone: "change" });
    if (change.stopped_here !== 0) add(change.step_id, { text: `${signed(change.stopped_here)} stopped here vs live`, tone: "change" });
  }
  return badges;
}

/** What was tried, in words: "the draft", "version 3". */
export function triedText(tried: Schemas["SimulatedDefinition"]): string {
  if (tried.kind === "version") return `version ${tried.version ?? "?"}`;
  return tried.kind === "definition" ? "the draft (unsaved changes)" : "the draft";
}
