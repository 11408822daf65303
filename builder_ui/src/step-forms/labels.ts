/** Words for the language's names: events, operators, step types, weekdays. */

/** `cart_abandoned` → "Cart abandoned". */
export function humaniseName(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const OPERATOR_LABELS: Readonly<Record<string, string>> = {
  eq: "is",
  ne: "is not",
  gt: "is greater than",
  gte: "is at least",
  lt: "is less than",
  lte: "is at most",
  in: "is one of",
  not_in: "is none of",
  contains: "contains",
  exists: "is present",
};

export const STEP_TYPE_LABELS: Readonly<Record<string, string>> = {
  wait: "Wait",
  wait_until: "Wait until",
  wait_for_event: "Wait for an event",
  condition: "Condition",
  ab_split: "A/B split",
  action: "Action",
  exit: "Exit",
};

export const WEEKDAYS = [
  { day: "mon", label: "Monday", short: "Mon" },
  { day: "tue", label: "Tuesday", short: "Tue" },
  { day: "wed", label: "Wednesday", short: "Wed" },
  { day: "thu", label: "Thursday", short: "Thu" },
  { day: "fri", label: "Friday", short: "Fri" },
  { day: "sat", label: "Saturday", short: "Sat" },
  { day: "sun", label: "Sunday", short: "Sun" },
] as const;

export type Weekday = (typeof WEEKDAYS)[number]["day"];
