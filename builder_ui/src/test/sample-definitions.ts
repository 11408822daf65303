/** Definitions the tests share: every step type, nested branches, absent optional lists. */
import type { Catalog, Definition } from "../definition/definition";
import { automationOverview } from "./fixtures";

/** DESIGN.md's example: waits, actions, a condition, an A/B split, a wait for an event. */
export const everyStepType: Definition = {
  name: "Abandoned cart — three reminders",
  trigger: { event: "cart_abandoned", filters: { all: [{ field: "cart.total", op: "gte", value: 25 }] } },
  exit_on: ["order_placed", "cart_recovered", "unsubscribed"],
  settings: { quiet_hours: { start: "21:00", end: "08:00", timezone: "customer" }, holdout_percent: 0, reentry_cooldown: "14d" },
  steps: [
    { id: "wait-1", type: "wait", duration: "1h" },
    { id: "morning", type: "wait_until", time: "09:00", days: ["mon", "tue"], timezone: "customer" },
    { id: "email-1", type: "action", action: "send_email", params: { template: "cart-reminder", subject: "Forgot something?" } },
    {
      id: "vip?",
      type: "condition",
      if: { field: "customer.segment", op: "eq", value: "vip" },
      then: [{ id: "code-vip", type: "action", action: "create_discount", params: { percent: 15 } }],
      else: [{ id: "code-std", type: "action", action: "create_discount", params: { percent: 10 } }],
    },
    {
      id: "subject-test",
      type: "ab_split",
      variants: [
        { name: "urgency", weight: 50, steps: [{ id: "email-2a", type: "action", action: "send_email", params: { template: "cart-discount" } }] },
        { name: "friendly", weight: 50, steps: [{ id: "email-2b", type: "action", action: "send_email", params: { template: "cart-discount" } }] },
      ],
    },
    {
      id: "click?",
      type: "wait_for_event",
      event: "email_clicked",
      timeout: "48h",
      on_event: [],
      on_timeout: [{ id: "lost", type: "exit", outcome: "lost" }],
    },
  ],
};

/** Branches inside branches, empty and absent lists, an exit in the middle of a list. */
/** `everyStepType` as the API shows it: published as version 1, inactive, no draft. */
export const everyStepTypeOverview = automationOverview({
  id: "aut_1",
  name: everyStepType.name,
  definition: everyStepType,
});

export const nested: Definition = {
  name: "Nested",
  trigger: { event: "order_paid", filters: null },
  steps: [
    {
      id: "outer",
      type: "condition",
      if: { any: [{ field: "cart.total", op: "gt", value: 100 }, { not: { field: "customer.tags", op: "contains", value: "b2b" } }] },
      then: [
        {
          id: "split",
          type: "ab_split",
          variants: [
            { name: "a", weight: 30, steps: [{ id: "wait-a", type: "wait", duration: "2h" }] },
            { name: "b", weight: 70 },
            { name: "c", weight: 0, steps: [] },
          ],
        },
        { id: "after-split", type: "action", action: "tag_customer", params: { tag: "big" } },
      ],
    },
    {
      id: "click?",
      type: "wait_for_event",
      event: "email_clicked",
      timeout: "PT2H",
      on_event: [
        {
          id: "inner",
          type: "condition",
          if: { field: "cart.total", op: "exists", value: null },
          else: [{ id: "stop", type: "exit", outcome: "completed" }, { id: "unreachable", type: "wait", duration: "1d" }],
        },
      ],
    },
    { id: "done", type: "exit", outcome: "completed" },
  ],
};

export const catalog: Catalog = {
  actions: [
    {
      name: "create_discount",
      label: "Create discount",
      category: "Incentives",
      description: "A single-use code.",
      messages_customer: false,
      params_schema: {
        type: "object",
        properties: {
          percent: { type: "integer", minimum: 1, maximum: 90, title: "Discount %", "x-suggested": 10 },
          expires_in: { type: "string", "x-widget": "duration", default: "7d", title: "Valid for" },
          prefix: { type: "string", default: "SAVE", title: "Code prefix" },
        },
        required: ["percent"],
      },
    },
    {
      name: "send_email",
      label: "Send email",
      category: "Messages",
      description: "An email from a template.",
      messages_customer: true,
      params_schema: {
        type: "object",
        "x-step-id": "email",
        properties: {
          template: { type: "string", default: "cart-reminder", title: "Template", "x-widget": "template" },
          subject: {
            anyOf: [{ type: "string" }, { type: "null" }],
            default: null,
            title: "Subject",
            "x-suggested": "You left something in your cart",
          },
        },
      },
    },
    {
      name: "tag_customer",
      label: "Tag customer",
      category: "Customers",
      description: "Adds a tag.",
      messages_customer: false,
      params_schema: { type: "object", properties: { tag: { type: "string", title: "Tag" } }, required: ["tag"] },
    },
  ],
  step_types: ["wait", "wait_until", "wait_for_event", "condition", "ab_split", "action", "exit"],
  triggers: ["cart_abandoned", "order_placed"],
  events: ["email_clicked", "order_placed"],
  operators: ["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists"],
  field_roots: ["cart", "customer", "order", "event", "steps"],
  fields: [{ path: "cart.total", label: "Cart total", type: "number", triggers: ["cart_abandoned"], values: [], filters_only: false }],
  templates: ["cart-discount", "cart-reminder"],
};
