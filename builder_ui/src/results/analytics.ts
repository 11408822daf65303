/**
 * The results API (`GET /api/v1/analytics/...`, issue 14's contract) and how its figures read:
 * periods kept in the URL, percentages, money per currency (never summed across currencies).
 */
import type { Client } from "openapi-fetch";
import { unwrap, type Api } from "../api/client";

// Written from the contract (docs: contract-14 "Results") until the API's document has them.
export interface Money {
  currency: string;
  amount: string;
}
export interface EmailFigures {
  sent: number;
  delivered: number;
  opened: number;
  proxy_opened: number;
  clicked: number;
  bounced: number;
  unsubscribed: number;
  delivery_rate: number | null;
  open_rate: number | null;
  click_rate: number | null;
  bounce_rate: number | null;
  unsubscribe_rate: number | null;
}
export interface DailyPoint {
  date: string;
  abandoned: number;
  recovered: number;
  revenue: Money[];
  sent: number;
  opened: number;
  clicked: number;
}
export interface Totals {
  from: string;
  to: string;
  carts_abandoned: number;
  carts_contactable: number;
  carts_entered: number;
  carts_recovered: number;
  abandonment_rate: number | null;
  recovery_rate: number | null;
  revenue: Money[];
  emails: EmailFigures;
  median_time_to_recovery: string | null;
}
export interface Overview extends Totals {
  daily: DailyPoint[];
}
export interface StepFigures {
  step_id: string;
  variant: string | null;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  recovered: number;
}
export interface VariantFigures {
  name: string;
  entered: number;
  sent: number;
  clicked: number;
  recovered: number;
  recovery_rate: number | null;
  probability_best: number | null;
}
export interface AbTest {
  step_id: string;
  variants: VariantFigures[];
  winner: string | null;
  verdict: string;
}
export interface Arm {
  carts: number;
  recovered: number;
  rate: number | null;
}
export interface Holdout {
  percent: number;
  treated: Arm;
  held_out: Arm;
  lift: number | null;
  /** The 95 % interval of the lift: [low, high]. */
  interval: number[] | null;
  enough_data: boolean;
  verdict: string;
}
export interface AutomationResults {
  automation_id: string;
  name: string;
  from: string;
  to: string;
  totals: Totals;
  versions: { version: number; entered: number; recovered: number; recovery_rate: number | null; sent: number }[];
  steps: StepFigures[];
  ab_tests: AbTest[];
  holdout: Holdout | null;
  daily: DailyPoint[];
}

type Json<T> = { content: { "application/json": T } };
type Dates = { from?: string; to?: string };
interface AnalyticsPaths {
  "/api/v1/analytics/overview": {
    get: { parameters: { query?: Dates }; responses: { 200: Json<Overview> } };
  };
  "/api/v1/analytics/automations/{automation_id}": {
    get: { parameters: { path: { automation_id: string }; query?: Dates }; responses: { 200: Json<AutomationResults> } };
  };
}
function analyticsApi(api: Api): Client<AnalyticsPaths> {
  return api as unknown as Client<AnalyticsPaths>;
}

/** A period as the URL keeps it: a preset number of days ending today, or two dates. */
export type Period = { kind: "last"; days: PresetDays } | { kind: "between"; from: string; to: string };

export const PRESET_DAYS = [7, 30, 90] as const;
export type PresetDays = (typeof PRESET_DAYS)[number];
export const DEFAULT_PERIOD: Period = { kind: "last", days: 30 };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `?days=7`, `?from=2026-01-01&to=2026-01-31`, or nothing (the last 30 days). */
export function periodFromSearch(search: URLSearchParams): Period {
  const from = search.get("from");
  const to = search.get("to");
  if (from !== null && to !== null && DATE.test(from) && DATE.test(to) && from <= to) return { kind: "between", from, to };
  const days = Number(search.get("days"));
  const preset = PRESET_DAYS.find((n) => n === days);
  return preset === undefined ? DEFAULT_PERIOD : { kind: "last", days: preset };
}

/** The query string that keeps `period`, over the other parameters of `search`. */
export function searchWithPeriod(search: URLSearchParams, period: Period): URLSearchParams {
  const next = new URLSearchParams(search);
  next.delete("days");
  next.delete("from");
  next.delete("to");
  if (period.kind === "between") {
    next.set("from", period.from);
    next.set("to", period.to);
  } else if (period.days !== 30) {
    next.set("days", String(period.days));
  }
  return next;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The dates the API is asked for: the last N days end today (UTC), today included. */
export function periodDates(period: Period, today: Date = new Date()): { from: string; to: string } {
  if (period.kind === "between") return { from: period.from, to: period.to };
  const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (period.days - 1)));
  return { from: isoDate(from), to: isoDate(today) };
}

export function periodLabel(period: Period): string {
  return period.kind === "last" ? `the last ${period.days} days` : `${period.from} to ${period.to}`;
}

export function loadOverview(api: Api, period: Period, signal: AbortSignal): Promise<Overview> {
  return unwrap(analyticsApi(api).GET("/api/v1/analytics/overview", { params: { query: periodDates(period) }, signal }));
}

export function loadAutomationResults(api: Api, automationId: string, period: Period, signal: AbortSignal): Promise<AutomationResults> {
  return unwrap(
    analyticsApi(api).GET("/api/v1/analytics/automations/{automation_id}", {
      params: { path: { automation_id: automationId }, query: periodDates(period) },
      signal,
    }),
  );
}

/** `12.5` → "12.5 %"; no rate (nothing to divide by) → "—". */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "—" : `${rate.toFixed(1)} %`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en");
}

/** One amount in its own currency: "€280.77", "$12.00". */
export function formatMoney({ currency, amount }: Money): string {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** Amounts listed one per currency, largest first is the API's business: keep its order. */
export function moneyList(revenue: readonly Money[]): string {
  return revenue.length === 0 ? "none" : revenue.map(formatMoney).join(", ");
}
