/**
 * The definition a new automation starts from. `POST /api/v1/automations` publishes it as
 * version 1 at once, so it must pass the API's checks: a known trigger, at least one step, and
 * any `send_email` naming a published template (engine/language/definition_checks.py).
 */
import type { Definition, Trigger } from "../definition/definition";
import type { Translate } from "../i18n/i18n";

export type TriggerEvent = Trigger["event"];

/** What may start a journey (engine/language/definition.py `TriggerEvent`); used without the catalog. */
export const STANDARD_TRIGGERS: readonly TriggerEvent[] = [
  "cart_abandoned",
  "order_placed",
  "order_paid",
  "order_fulfilled",
  "order_delivered",
];

export function isTriggerEvent(value: string): value is TriggerEvent {
  return (STANDARD_TRIGGERS as readonly string[]).includes(value);
}

/** A trigger as the reader's language names it; one this UI does not know, humanised ("Cart updated"). */
export function triggerLabel(event: string, t: Translate): string {
  if (isTriggerEvent(event)) return t(`automations-list.trigger.${event}`);
  const words = event.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// The default template that reads naturally for each trigger (the repo's templates/ folder).
const TEMPLATE_FOR: Record<TriggerEvent, string> = {
  cart_abandoned: "cart-reminder",
  order_placed: "order-confirmation",
  order_paid: "order-confirmation",
  order_fulfilled: "shipping-update",
  order_delivered: "review-request",
};

// A post-purchase journey follows an order: buying again must not end it (engine/language/presets.py).
type ExitEvent = NonNullable<Definition["exit_on"]>[number];
const CART_EXITS: ExitEvent[] = ["order_placed", "cart_recovered", "unsubscribed"];
const ORDER_EXITS: ExitEvent[] = ["order_cancelled", "unsubscribed"];

/**
 * The template the first email uses: the natural one for the trigger when it is published,
 * else the first published one. `templates` null means "not known" (the catalog could not be
 * read): the natural one is tried and the API says so if it is missing.
 */
export function starterTemplate(
  trigger: TriggerEvent,
  templates: readonly string[] | null,
): string | null {
  const natural = TEMPLATE_FOR[trigger];
  if (templates === null || templates.includes(natural)) return natural;
  return templates[0] ?? null;
}

/** Wait an hour, then send one email; only the wait when no template is published yet. */
export function starterDefinition(
  name: string,
  trigger: TriggerEvent,
  templates: readonly string[] | null,
): Definition {
  const template = starterTemplate(trigger, templates);
  const steps: Definition["steps"] = [{ id: "wait-1", type: "wait", duration: "1h" }];
  if (template !== null) {
    steps.push({ id: "email-1", type: "action", action: "send_email", params: { template } });
  }
  return {
    name,
    trigger: { event: trigger, filters: null },
    exit_on: [...(trigger === "cart_abandoned" ? CART_EXITS : ORDER_EXITS)],
    steps,
  };
}
