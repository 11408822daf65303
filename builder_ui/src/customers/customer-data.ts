/**
 * A customer's personal data as the API describes it (`/api/v1/customers/*`,
 * `/api/v1/privacy/*`), in plain words: the kinds of record by readable names, a purge run's
 * counts as a sentence, and the export handed to the browser as a JSON file.
 */
import { unwrap, type Api, type Schemas } from "../api/client";
import { saveFile } from "../ui/save-file";

export type CustomerSummary = Schemas["CustomerSummary"];
export type CustomerFacts = Schemas["CustomerFacts"];
export type Erasure = Schemas["ErasureOut"];
export type RetentionRun = Schemas["RetentionRunOut"];
export type DataRequest = Schemas["DataRequestOut"];

/** The kinds of record held about a customer (engine/service/personal_records.py), in order. */
const KINDS: Record<string, [one: string, many: string]> = {
  customer: ["customer record", "customer records"],
  carts: ["cart (with its items)", "carts (with their items)"],
  orders: ["order", "orders"],
  events: ["event received from the shop", "events received from the shop"],
  messages: ["email", "emails"],
  message_events: ["email event (delivery, open, click…)", "email events (delivery, open, click…)"],
  enrolments: ["automation enrolment", "automation enrolments"],
  journey_records: ["journey step", "journey steps"],
  discount_codes: ["discount code", "discount codes"],
  suppression: ["entry on the do-not-email list", "entries on the do-not-email list"],
  data_requests: ["data request", "data requests"],
  simulated_carts: ["cart in a simulation", "carts in simulations"],
  platform_deliveries: ["webhook from the shop platform", "webhooks from the shop platform"],
  bulk_messages: ["bulk message filter", "bulk message filters"],
};

/** What a retention run did to each kind (engine/service/retention.py `KINDS`). */
const PURGED: Record<string, [one: string, many: string]> = {
  carts: ["abandoned cart deleted", "abandoned carts deleted"],
  customers: ["customer deleted", "customers deleted"],
  event_bodies: ["event body emptied", "event bodies emptied"],
  emails: ["sent email emptied", "sent emails emptied"],
  simulations: ["expired simulation removed", "expired simulations removed"],
};

/** `message_events` → "message events": a kind this page has no words for yet. */
function humanise(kind: string): string {
  return kind.replaceAll("_", " ");
}

function counted(count: number, words: [string, string] | undefined, kind: string): string {
  const [one, many] = words ?? [humanise(kind), humanise(kind)];
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** "3 carts (with their items)": one line per kind with any, in the page's order. */
export function heldLines(counts: Record<string, number>): { kind: string; text: string }[] {
  const known = Object.keys(KINDS).filter((kind) => kind in counts);
  const others = Object.keys(counts).filter((kind) => !(kind in KINDS));
  return [...known, ...others]
    .filter((kind) => (counts[kind] ?? 0) > 0)
    .map((kind) => ({ kind, text: counted(counts[kind] ?? 0, KINDS[kind], kind) }));
}

/** A run's counts as one sentence: "2 abandoned carts deleted, 5 event bodies emptied." */
export function describePurge(counts: Record<string, number>): string {
  const known = Object.keys(PURGED).filter((kind) => kind in counts);
  const others = Object.keys(counts).filter((kind) => !(kind in PURGED));
  const parts = [...known, ...others]
    .filter((kind) => (counts[kind] ?? 0) > 0)
    .map((kind) => counted(counts[kind] ?? 0, PURGED[kind], kind));
  return parts.length === 0 ? "Nothing was past its time." : `${capitalise(parts.join(", "))}.`;
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
