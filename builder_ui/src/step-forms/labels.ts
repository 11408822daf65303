/** Words for the language's names: events, operators, step types, weekdays, field roots. */
import type { MessageKey } from "../i18n/catalogue";
import type { Translate } from "../i18n/i18n";

/** `cart_abandoned` → "Cart abandoned": for names the catalogue has no words for. */
export function humaniseName(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const OPERATOR_KEYS: Readonly<Record<string, MessageKey>> = {
  eq: "step-forms.operator.eq",
  ne: "step-forms.operator.ne",
  gt: "step-forms.operator.gt",
  gte: "step-forms.operator.gte",
  lt: "step-forms.operator.lt",
  lte: "step-forms.operator.lte",
  in: "step-forms.operator.in",
  not_in: "step-forms.operator.not_in",
  contains: "step-forms.operator.contains",
  exists: "step-forms.operator.exists",
};

const STEP_TYPE_KEYS: Readonly<Record<string, MessageKey>> = {
  wait: "step-forms.step-type.wait",
  wait_until: "step-forms.step-type.wait_until",
  wait_for_event: "step-forms.step-type.wait_for_event",
  condition: "step-forms.step-type.condition",
  ab_split: "step-forms.step-type.ab_split",
  action: "step-forms.step-type.action",
  exit: "step-forms.step-type.exit",
};

const EVENT_KEYS: Readonly<Record<string, MessageKey>> = {
  cart_abandoned: "step-forms.event.cart_abandoned",
  cart_updated: "step-forms.event.cart_updated",
  checkout_started: "step-forms.event.checkout_started",
  cart_recovered: "step-forms.event.cart_recovered",
  order_placed: "step-forms.event.order_placed",
  order_paid: "step-forms.event.order_paid",
  order_fulfilled: "step-forms.event.order_fulfilled",
  order_delivered: "step-forms.event.order_delivered",
  order_cancelled: "step-forms.event.order_cancelled",
  unsubscribed: "step-forms.event.unsubscribed",
  email_clicked: "step-forms.event.email_clicked",
};

const FIELD_ROOT_KEYS: Readonly<Record<string, MessageKey>> = {
  cart: "step-forms.field-root.cart",
  customer: "step-forms.field-root.customer",
  order: "step-forms.field-root.order",
  event: "step-forms.field-root.event",
  steps: "step-forms.field-root.steps",
};

function named(keys: Readonly<Record<string, MessageKey>>, fallback: (name: string) => string) {
  return (t: Translate, name: string): string => {
    const key = Object.hasOwn(keys, name) ? keys[name] : undefined;
    return key ? t(key) : fallback(name);
  };
}

/** `gte` → "is at least"; an operator the UI does not know keeps its name. */
export const operatorLabel = named(OPERATOR_KEYS, (op) => op);
/** `wait_until` → "Wait until". */
export const stepTypeLabel = named(STEP_TYPE_KEYS, humaniseName);
/** `cart_abandoned` → "Cart abandoned"; an event newer than the UI is humanised. */
export const eventLabel = named(EVENT_KEYS, humaniseName);
/** `customer` → "Customer": the groups of the condition's field select. */
export const fieldRootLabel = named(FIELD_ROOT_KEYS, humaniseName);

export const WEEKDAYS = [
  { day: "mon", label: "step-forms.weekday.mon", short: "step-forms.weekday.mon.short" },
  { day: "tue", label: "step-forms.weekday.tue", short: "step-forms.weekday.tue.short" },
  { day: "wed", label: "step-forms.weekday.wed", short: "step-forms.weekday.wed.short" },
  { day: "thu", label: "step-forms.weekday.thu", short: "step-forms.weekday.thu.short" },
  { day: "fri", label: "step-forms.weekday.fri", short: "step-forms.weekday.fri.short" },
  { day: "sat", label: "step-forms.weekday.sat", short: "step-forms.weekday.sat.short" },
  { day: "sun", label: "step-forms.weekday.sun", short: "step-forms.weekday.sun.short" },
] as const satisfies readonly { day: string; label: MessageKey; short: MessageKey }[];

export type Weekday = (typeof WEEKDAYS)[number]["day"];
