/**
 * A customer's personal data as the API describes it (`/api/v1/customers/*`,
 * `/api/v1/privacy/*`), in plain words: the kinds of record by readable names, a purge run's
 * counts as a sentence, and the export handed to the browser as a JSON file.
 */
import { unwrap, type Api, type Schemas } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";
import type { Translate } from "../i18n/i18n";
import { saveFile } from "../ui/save-file";

export type CustomerSummary = Schemas["CustomerSummary"];
export type CustomerFacts = Schemas["CustomerFacts"];
export type Erasure = Schemas["ErasureOut"];
export type RetentionRun = Schemas["RetentionRunOut"];
export type DataRequest = Schemas["DataRequestOut"];

/** The kinds of record held about a customer (engine/service/personal_records.py), in order. */
const KINDS: Readonly<Record<string, MessageKey>> = {
  customer: "customers.held.customer",
  carts: "customers.held.carts",
  orders: "customers.held.orders",
  events: "customers.held.events",
  messages: "customers.held.messages",
  message_events: "customers.held.message_events",
  enrolments: "customers.held.enrolments",
  journey_records: "customers.held.journey_records",
  discount_codes: "customers.held.discount_codes",
  suppression: "customers.held.suppression",
  data_requests: "customers.held.data_requests",
  simulated_carts: "customers.held.simulated_carts",
  platform_deliveries: "customers.held.platform_deliveries",
  bulk_messages: "customers.held.bulk_messages",
};

/** What a retention run did to each kind (engine/service/retention.py `KINDS`). */
const PURGED: Readonly<Record<string, MessageKey>> = {
  carts: "customers.purged.carts",
  customers: "customers.purged.customers",
  event_bodies: "customers.purged.event_bodies",
  emails: "customers.purged.emails",
  simulations: "customers.purged.simulations",
};

/** `message_events` → "message events": a kind this page has no words for yet. */
function humanise(kind: string): string {
  return kind.replaceAll("_", " ");
}

function counted(t: Translate, count: number, words: Readonly<Record<string, MessageKey>>, kind: string): string {
  return Object.hasOwn(words, kind)
    ? t(words[kind] as MessageKey, { count })
    : t("customers.held.unknown", { count, kind: humanise(kind) });
}

/** "3 carts (with their items)": one line per kind with any, in the page's order. */
export function heldLines(t: Translate, counts: Record<string, number>): { kind: string; text: string }[] {
  const known = Object.keys(KINDS).filter((kind) => kind in counts);
  const others = Object.keys(counts).filter((kind) => !Object.hasOwn(KINDS, kind));
  return [...known, ...others]
    .filter((kind) => (counts[kind] ?? 0) > 0)
    .map((kind) => ({ kind, text: counted(t, counts[kind] ?? 0, KINDS, kind) }));
}

/** A run's counts as one sentence: "2 abandoned carts deleted, 5 event bodies emptied." */
export function describePurge(t: Translate, counts: Record<string, number>): string {
  const known = Object.keys(PURGED).filter((kind) => kind in counts);
  const others = Object.keys(counts).filter((kind) => !Object.hasOwn(PURGED, kind));
  const parts = [...known, ...others]
    .filter((kind) => (counts[kind] ?? 0) > 0)
    .map((kind) => counted(t, counts[kind] ?? 0, PURGED, kind));
  if (parts.length === 0) return t("customers.purged.nothing");
  return t("customers.purged.sentence", { parts: capitalise(parts.join(t("customers.list.separator"))) });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function exportFileName(email: string): string {
  return `boomerang-export-${email}.json`;
}

/** Fetch everything held about `email` and save it as `boomerang-export-<email>.json`. */
export async function downloadExport(api: Api, email: string): Promise<void> {
  const document = await unwrap(api.GET("/api/v1/customers/export", { params: { query: { email } } }));
  const name = typeof document.email === "string" ? document.email : email;
  const blob = new Blob([JSON.stringify(document, null, 2)], { type: "application/json" });
  saveFile(blob, exportFileName(name));
}
