/** Simulation answers as the API gives them, over `everyStepType`'s step ids. */
import type { CartTimeline, SimulationStatus } from "../simulation/simulation-api";

export function simulatedStatus(fields: Partial<SimulationStatus> = {}): SimulationStatus {
  return {
    id: "sim_1",
    automation_id: "aut_1",
    status: "done",
    tried: { kind: "draft", version: null },
    compared_with: { kind: "version", version: 1 },
    carts: 5,
    done: 5,
    totals: {
      carts: 5,
      entered: 3,
      not_entered: { filtered: 1, no_consent: 1 },
      held_out: 0,
      outcomes: { purchased: 1, lost: 2 },
      emails: 5,
      codes: 1,
      code_value: [
        { currency: "EUR", amount: "8.00" },
        { currency: "USD", amount: "28.08" },
      ],
      webhooks: 0,
      steps: {
        "wait-1": { ran: {}, emails: 0, codes: 0, deferred: 0, stopped_here: { purchased: 1 } },
        "email-1": { ran: { sent: 3 }, emails: 3, codes: 0, deferred: 0, stopped_here: {} },
        "code-std": { ran: { created: 1 }, emails: 0, codes: 1, deferred: 0, stopped_here: {} },
        "email-2a": { ran: { sent: 2, failed: 1 }, emails: 2, codes: 0, deferred: 0, stopped_here: {} },
      },
      variants: {},
      late_sends: 1,
      late_send_examples: [
        { cart_id: "cart-bought", step_id: "email-2a", at: "2026-01-02T10:00:00Z", after: "purchased", happened_at: "2026-01-01T12:00:00Z" },
      ],
      failures: 1,
      failure_examples: [{ cart_id: "cart-broken", step_id: "email-2a", error: "'coupon' is undefined" }],
    },
    compared: null,
    difference: {
      entered: 0,
      emails: 1,
      codes: -2,
      outcomes: { purchased: -1 },
      steps: [
        { step_id: "email-2a", emails: 1, codes: 0, ran: 1, stopped_here: 0 },
        { step_id: "code-std", emails: 0, codes: -2, ran: -2, stopped_here: 0 },
        { step_id: "click?", emails: 0, codes: 0, ran: 0, stopped_here: -1 },
      ],
      summary: ["+1 email at step email-2a", "2 fewer codes", "-1 purchased"],
    },
    error: null,
    created_at: "2026-01-05T10:00:00Z",
    finished_at: "2026-01-05T10:00:01Z",
    expires_at: "2026-01-06T10:00:00Z",
    ...fields,
  };
}

export function cartTimeline(fields: Partial<CartTimeline> = {}): CartTimeline {
  return {
    cart_id: "cart-bought",
    abandoned_at: "2026-01-01T10:00:00Z",
    entered: true,
    not_entered: null,
    held_out: false,
    variants: { "subject-test": "urgency" },
    outcome: "completed",
    ended_at: "2026-01-02T10:00:00Z",
    stopped_at: null,
    emails: 2,
    codes: 0,
    late_sends: 1,
    failures: 0,
    events: [{ at: "2026-01-01T12:00:00Z", event: "order_placed" }],
    steps: [
      { step_id: "wait-1", type: "wait", at: "2026-01-01T11:00:00Z", detail: {} },
      { step_id: "email-1", type: "action", at: "2026-01-01T11:00:00Z", detail: { status: "sent" } },
      { step_id: "subject-test", type: "ab_split", at: "2026-01-02T10:00:00Z", detail: { variant: "urgency" } },
      { step_id: "email-2a", type: "action", at: "2026-01-02T10:00:00Z", detail: { status: "sent" } },
      { step_id: "end", type: "finish", at: "2026-01-02T10:00:00Z", detail: { outcome: "completed" } },
    ],
    compared: { outcome: "purchased", emails: 1, codes: 0 },
    ...fields,
  };
}
