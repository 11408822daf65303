/** How a step reads on the canvas and to a screen reader: "Wait 1h", "Send email · cart-reminder". */
import type { Catalog, Condition, Step, Trigger } from "../definition/definition";
import { thresholdText } from "../money/threshold-text";

const OPERATORS: Record<string, string> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "in",
  not_in: "not in",
  contains: "contains",
  exists: "exists",
};

function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(showValue).join(", ");
  if (typeof value === "string") return value;
  return thresholdText(value) ?? JSON.stringify(value) ?? "";
}

export function conditionText(condition: Condition): string {
  if ("all" in condition) return condition.all.map(conditionText).join(" and ") || "always";
  if ("any" in condition) return condition.any.map(conditionText).join(" or ") || "never";
  if ("not" in condition) return `not (${conditionText(condition.not)})`;
  const op = OPERATORS[condition.op] ?? condition.op;
  return condition.op === "exists" ? `${condition.field} exists` : `${condition.field} ${op} ${showValue(condition.value)}`;
}

/** `send_email` → "Send email": for readers without the catalog (support). */
function humanize(name: string): string {
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The most telling parameter of an action, if it has one. */
function actionDetail(step: Extract<Step, { type: "action" }>): string | undefined {
  const params = step.params ?? {};
  if (typeof params.template === "string") return params.template;
  if (typeof params.percent === "number") return `${params.percent}%`;
  const first = Object.values(params).find((value) => typeof value === "string" && value !== "");
  return typeof first === "string" ? first : undefined;
}

export function stepTitle(step: Step, catalog: Catalog | null): string {
  switch (step.type) {
    case "wait":
      return "Wait";
    case "wait_until":
      return "Wait until";
    case "wait_for_event":
      return "Wait for event";
    case "condition":
      return "Condition";
    case "ab_split":
      return "A/B split";
    case "exit":
      return "Exit";
    case "action":
      return catalog?.actions.find((action) => action.name === step.action)?.label ?? humanize(step.action);
  }
}

export function stepSummary(step: Step, catalog: Catalog | null): string {
  switch (step.type) {
    case "wait":
      return `Wait ${step.duration}`;
    case "wait_until": {
      const days = step.days && step.days.length > 0 ? ` on ${step.days.join(", ")}` : "";
      return `Wait until ${step.time}${days}`;
    }
    case "wait_for_event":
      return `Wait for ${step.event}, up to ${step.timeout}`;
    case "condition":
      return `If ${conditionText(step.if)}`;
    case "ab_split":
      return `A/B split: ${step.variants.map((variant) => `${variant.name} ${variant.weight}%`).join(" / ")}`;
    case "exit":
      return `Exit · ${step.outcome ?? "completed"}`;
    case "action": {
      const detail = actionDetail(step);
      const title = stepTitle(step, catalog);
      return detail === undefined ? title : `${title} · ${detail}`;
    }
  }
}

export function triggerSummary(trigger: Trigger): string {
  return trigger.filters ? `when ${conditionText(trigger.filters)}` : "every time";
}

/** " 1 problem", " 2 problems", or nothing. */
export function problemSuffix(count: number): string {
  return count === 0 ? "" : ` ${count} ${count === 1 ? "problem" : "problems"}`;
}

/** The accessible name of a step's node: "Step wait-1: Wait 1h". */
export function stepNodeLabel(step: Step, catalog: Catalog | null, problemCount: number): string {
  return `Step ${step.id}: ${stepSummary(step, catalog)}${problemSuffix(problemCount)}`;
}

/** The accessible name of the trigger's node: "Trigger: cart_abandoned every time". */
export function triggerNodeLabel(trigger: Trigger, problemCount: number): string {
  return `Trigger: ${trigger.event} ${triggerSummary(trigger)}${problemSuffix(problemCount)}`;
}
