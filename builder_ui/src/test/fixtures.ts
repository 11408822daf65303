import type { Automation } from "../api/types";

export const singleReminder: Automation = {
  id: "aut_3f9c2a1b7d4e",
  name: "Abandoned cart — single reminder",
  status: "active",
  version: 1,
  definition: {
    name: "Abandoned cart — single reminder",
    trigger: { event: "cart_abandoned" },
    steps: [
      { id: "wait-1", type: "wait", duration: "2h" },
      {
        id: "email-1",
        type: "action",
        action: "send_email",
        params: { template: "cart_reminder" },
      },
    ],
  },
  created_at: "2026-11-25T10:00:00Z",
};

export const winBack: Automation = {
  id: "aut_9a8b7c6d5e4f",
  name: "Win-back with discount",
  status: "inactive",
  version: 3,
  definition: {
    name: "Win-back with discount",
    trigger: { event: "checkout_started" },
    steps: [{ id: "email-1", type: "action", action: "send_email", params: {} }],
  },
  created_at: "2026-11-24T08:30:00Z",
};

/** A real `Response` carrying `body` as JSON. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}
