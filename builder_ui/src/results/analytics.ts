/**
 * The results API (`GET /api/v1/analytics/...`, issue 14's contract) and how its figures read:
 * periods kept in the URL, percentages, money per currency (never summed across currencies).
 */
import { unwrap, type Api, type Schemas } from "../api/client";
import { translate, type Language, type Translate } from "../i18n/i18n";

export type Money = Schemas["Amount"];
export type EmailFigures = Schemas["EmailFunnel"];
export type DailyPoint = Schemas["Day"];
export type Totals = Schemas["Totals"];
export type Overview = Schemas["Overview"];
export type AutomationResults = Schemas["AutomationResults"];
export type StepFigures = Schemas["StepResults"];
export type VariantFigures = Schemas["VariantResults"];
export type AbTest = Schemas["ABTestResults"];
export type Holdout = Schemas["HoldoutResults"];

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

const inEnglish: Translate = (key, params) => translate("en", key, params);

/** "the last 30 days", "2026-01-01 to 2026-01-31"; in English unless given the reader's `t`. */
export function periodLabel(period: Period, t: Translate = inEnglish): string {
  return period.kind === "last"
    ? t("results.period.last", { days: period.days })
    : t("results.period.between", { from: period.from, to: period.to });
}

export function loadOverview(api: Api, period: Period, signal: AbortSignal): Promise<Overview> {
  return unwrap(api.GET("/api/v1/analytics/overview", { params: { query: periodDates(period) }, signal }));
}

export async function loadAutomationResults(api: Api, automationId: string, period: Period, signal: AbortSignal): Promise<AutomationResults> {
  // openapi-fetch widens the holdout's `[low, high]` tuple to `number[]` on the way out.
  return (await unwrap(
    api.GET("/api/v1/analytics/automations/{automation_id}", {
      params: { path: { automation_id: automationId }, query: periodDates(period) },
      signal,
    }),
  )) as AutomationResults;
}

/** A number with one decimal, in the reader's digits: `12.5` → "12.5". */
export function formatDecimal(value: number, language: Language): string {
  return new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

/** `12.5` → "12.5 %"; no rate (nothing to divide by) → "—". */
export function formatRate(rate: number | null | undefined, t: Translate, language: Language): string {
  return rate === null || rate === undefined ? "—" : t("results.rate", { rate: formatDecimal(rate, language) });
}

export function formatCount(count: number, language: Language): string {
  return new Intl.NumberFormat(language).format(count);
}

/** One amount in its own currency, written as the reader's language writes money: "€280.77", "$12.00". */
export function formatMoney({ currency, amount }: Money, language: Language): string {
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** Amounts listed one per currency, largest first is the API's business: keep its order. */
export function moneyList(revenue: readonly Money[], t: Translate, language: Language): string {
  return revenue.length === 0
    ? t("results.none")
    : revenue.map((money) => formatMoney(money, language)).join(t("results.list-separator"));
}
