/**
 * The carts API (contract of issue 14, section "Carts") and how a carts filter travels: the
 * page's query string is the list's query string (same keys, `status` repeated), so a filtered
 * page can be bookmarked and the CSV and the bulk message get exactly what the table shows.
 */
import { unwrap, type Api, type Schemas } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";
import type { Translate } from "../i18n/i18n";

export const CART_STATUSES = [
  "active",
  "abandoned",
  "in_journey",
  "recovered",
  "lost",
  "ordered",
  "not_contactable",
] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/** What a filter calls each status. */
export const STATUS_LABELS: Record<CartStatus, MessageKey> = {
  active: "carts.status.active",
  abandoned: "carts.status.abandoned",
  in_journey: "carts.status.in_journey",
  recovered: "carts.status.recovered",
  lost: "carts.status.lost",
  ordered: "carts.status.ordered",
  not_contactable: "carts.status.not_contactable",
};

export const SORTS = ["abandoned_at", "-abandoned_at", "total", "-total", "updated_at", "-updated_at"] as const;
export type CartSort = (typeof SORTS)[number];
export const DEFAULT_SORT: CartSort = "-abandoned_at";

export type CartDetail = Schemas["CartDetailOut"];
/** A row of the list: the detail's first fields. (The list's OpenAPI answer is untyped, as it
 * may be CSV, so its shape is taken from the detail's.) */
export type CartSummary = Omit<
  CartDetail,
  "items" | "subtotal" | "shipping" | "tax" | "customer" | "journeys" | "messages" | "orders" | "timeline"
>;
export interface CartList {
  carts: CartSummary[];
  next_cursor: string | null;
  total: number;
}
export type RecoveryLink = Schemas["RecoveryLinkOut"];
export type DryRun = Schemas["BulkMessageDryRun"];
export type BulkRun = Schemas["BulkMessageStatus"];
type ApiFilter = Schemas["CartFilter"];

export const SKIP_REASONS = ["suppressed", "no_consent", "frequency_cap", "no_email"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
export type Skipped = Record<SkipReason, number>;

/** What a carts filter holds, as the form edits it ("" = any). */
export interface CartFilter {
  status: CartStatus[];
  customer: "" | "registered" | "guest";
  abandoned_from: string;
  abandoned_to: string;
  automation_id: string;
  min_total: string;
  max_total: string;
  currency: string;
  email: string;
}

const TEXT_KEYS = ["abandoned_from", "abandoned_to", "automation_id", "min_total", "max_total", "currency", "email"] as const;

export const EMPTY_FILTER: CartFilter = {
  status: [],
  customer: "",
  abandoned_from: "",
  abandoned_to: "",
  automation_id: "",
  min_total: "",
  max_total: "",
  currency: "",
  email: "",
};

function isStatus(value: string): value is CartStatus {
  return (CART_STATUSES as readonly string[]).includes(value);
}

/** The filter a page address asks for; unknown values are left out. */
export function filterFromParams(params: URLSearchParams): CartFilter {
  const customer = params.get("customer");
  const filter: CartFilter = {
    ...EMPTY_FILTER,
    status: params.getAll("status").filter(isStatus),
    customer: customer === "registered" || customer === "guest" ? customer : "",
  };
  for (const key of TEXT_KEYS) filter[key] = params.get(key) ?? "";
  return filter;
}

export function sortFromParams(params: URLSearchParams): CartSort {
  const sort = params.get("sort");
  return (SORTS as readonly (string | null)[]).includes(sort) ? (sort as CartSort) : DEFAULT_SORT;
}

/** The filter as the API's query (and the bulk message's `filter`): empty values left out. */
export function filterQuery(filter: CartFilter): ApiFilter {
  const query: ApiFilter = {};
  if (filter.status.length > 0) query.status = [...filter.status];
  if (filter.customer !== "") query.customer = filter.customer;
  for (const key of TEXT_KEYS) {
    const value = filter[key].trim();
    if (value !== "") query[key] = key === "currency" ? value.toUpperCase() : value;
  }
  return query;
}

/** The filter and sort as a query string (the page's and the CSV's); the default sort left out. */
export function filterParams(filter: CartFilter, sort: CartSort = DEFAULT_SORT): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filterQuery(filter))) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  if (sort !== DEFAULT_SORT) params.set("sort", sort);
  return params;
}

/** Where the CSV of a filter is: `GET /api/v1/carts.csv?...` (all matching rows). */
export function csvPath(filter: CartFilter, sort: CartSort): string {
  const query = filterParams(filter, sort).toString();
  return `/api/v1/carts.csv${query === "" ? "" : `?${query}`}`;
}

export const PAGE_SIZE = 50;

function sorted(sort: CartSort): { sort?: CartSort } {
  return sort === DEFAULT_SORT ? {} : { sort };
}

export function listCarts(
  api: Api,
  filter: CartFilter,
  sort: CartSort,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<CartList> {
  const query = { ...filterQuery(filter), limit: PAGE_SIZE, ...sorted(sort), ...(cursor === null ? {} : { cursor }) };
  return unwrap(api.GET("/api/v1/carts", { params: { query }, ...(signal ? { signal } : {}) })) as Promise<CartList>;
}

/** The filter's carts as CSV, fetched with the token (a plain link would go without it). */
export async function downloadCsv(api: Api, filter: CartFilter, sort: CartSort): Promise<Blob> {
  const query = { ...filterQuery(filter), ...sorted(sort) };
  const { data, error, response } = await api.GET("/api/v1/carts.csv", { params: { query }, parseAs: "blob" });
  return unwrap(Promise.resolve({ data: data as Blob, error, response }));
}

export function getCart(api: Api, cartId: string, signal?: AbortSignal): Promise<CartDetail> {
  return unwrap(
    api.GET("/api/v1/carts/{cart_id}", { params: { path: { cart_id: cartId } }, ...(signal ? { signal } : {}) }),
  );
}

export function makeRecoveryLink(api: Api, cartId: string, discountPercent: number | null): Promise<RecoveryLink> {
  return unwrap(
    api.POST("/api/v1/carts/{cart_id}/recovery-link", {
      params: { path: { cart_id: cartId } },
      body: { discount_percent: discountPercent, discount_expires_in: "7d" },
    }),
  );
}

/** `idempotencyKey`: one per confirmed send, so a repeated request sends nothing more. */
export function messageCart(
  api: Api,
  cartId: string,
  template: string,
  subject: string | null,
  idempotencyKey: string,
): Promise<Schemas["CartMessageSent"]> {
  return unwrap(
    api.POST("/api/v1/carts/{cart_id}/message", {
      params: { path: { cart_id: cartId }, header: { "idempotency-key": idempotencyKey } },
      body: { template, subject },
    }),
  );
}

export async function bulkDryRun(
  api: Api,
  t: Translate,
  filter: CartFilter,
  template: string,
  subject: string | null,
): Promise<DryRun> {
  const answer = await unwrap(
    api.POST("/api/v1/carts/bulk-message", { body: { filter: filterQuery(filter), template, subject, dry_run: true } }),
  );
  if (!("would_send" in answer)) throw new Error(t("carts.bulk.dryRunStarted"));
  return answer;
}

export async function startBulkRun(
  api: Api,
  t: Translate,
  filter: CartFilter,
  template: string,
  subject: string | null,
): Promise<Schemas["BulkMessageStarted"]> {
  const answer = await unwrap(
    api.POST("/api/v1/carts/bulk-message", { body: { filter: filterQuery(filter), template, subject, dry_run: false } }),
  );
  if (!("run_id" in answer)) throw new Error(t("carts.bulk.runCounted"));
  return answer;
}

export function getBulkRun(api: Api, runId: string, signal?: AbortSignal): Promise<BulkRun> {
  return unwrap(
    api.GET("/api/v1/carts/bulk-message/{run_id}", { params: { path: { run_id: runId } }, ...(signal ? { signal } : {}) }),
  );
}

/** The published templates' names, for a message's template picker. */
export async function publishedTemplates(api: Api, signal?: AbortSignal): Promise<string[]> {
  const templates = await unwrap(api.GET("/api/v1/templates", signal ? { signal } : {}));
  return templates.filter((template) => template.current_version !== null).map((template) => template.name);
}

const SKIP_WORDS: Record<SkipReason, MessageKey> = {
  suppressed: "carts.skipped.suppressed",
  no_consent: "carts.skipped.no_consent",
  frequency_cap: "carts.skipped.frequency_cap",
  no_email: "carts.skipped.no_email",
};

/** "M skipped: X suppressed, Y no consent, Z capped, W no email". */
export function describeSkipped(t: Translate, skipped: Skipped): string {
  const total = SKIP_REASONS.reduce((sum, reason) => sum + (skipped[reason] ?? 0), 0);
  const parts = SKIP_REASONS.map((reason) => t(SKIP_WORDS[reason], { count: skipped[reason] ?? 0 }));
  return t("carts.skipped.summary", { total, parts: parts.join(t("carts.skipped.separator")) });
}

/** Why the API did not send a message (its 409 codes), in plain words. */
export const NOT_SENT_REASONS: Record<SkipReason, MessageKey> = {
  suppressed: "carts.notSent.suppressed",
  no_consent: "carts.notSent.no_consent",
  frequency_cap: "carts.notSent.frequency_cap",
  no_email: "carts.notSent.no_email",
};
