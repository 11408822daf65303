/**
 * How a step reads on the canvas and to a screen reader: "Wait 1h", "Send email · cart-reminder".
 * Every helper takes the reader's `t`; English when none is given (other areas' callers).
 * Ids, field names, values, event names and the catalog's action labels stay as they are.
 */
import type { Catalog, Condition, Step, Trigger } from "../definition/definition";
import type { MessageKey } from "../i18n/catalogue";
import { translate, type Translate } from "../i18n/i18n";
import { thresholdText } from "../money/threshold-text";

/** English: what a helper says when its caller passes no `t`. */
export const inEnglish: Translate = (key, params) => translate("en", key, params);

// Symbols read the same in every language; words go through the catalogue.
const OPERATORS: Record<string, string | MessageKey> = {
  eq: "=",
  ne: "≠",
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
  in: "flow-editor.op.in",
  not_in: "flow-editor.op.not_in",
  contains: "flow-editor.op.contains",
};

function operator(op: string, t: Translate): string {
  const known = OPERATORS[op];
  if (known === undefined) return op;
  return known.startsWith("flow-editor.") ? t(known as MessageKey) : known;
}

function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(showValue).join(", ");
  if (typeof value === "string") return value;
  return thresholdText(value) ?? JSON.stringify(value) ?? "";
}

export function conditionText(condition: Condition, t: Translate = inEnglish): string {
  if ("all" in condition) {
    return condition.all.map((item) => conditionText(item, t)).join(t("flow-editor.condition.and")) || t("flow-editor.condition.always");
  }
  if ("any" in condition) {
    return condition.any.map((item) => conditionText(item, t)).join(t("flow-editor.condition.or")) || t("flow-editor.condition.never");
  }
  if ("not" in condition) return t("flow-editor.condition.not", { condition: conditionText(condition.not, t) });
  if (condition.op === "exists") return t("flow-editor.condition.exists", { field: condition.field });
  return t("flow-editor.condition.compare", { field: condition.field, op: operator(condition.op, t), value: showValue(condition.value) });
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

export function stepTitle(step: Step, catalog: Catalog | null, t: Translate = inEnglish): string {
  if (step.type === "action") {
    // The catalog's label is the server's: said as it comes.
    return catalog?.actions.find((action) => action.name === step.action)?.label ?? humanize(step.action);
  }
  return t(`flow-editor.step.${step.type}`);
}

export function stepSummary(step: Step, catalog: Catalog | null, t: Translate = inEnglish): string {
  switch (step.type) {
    case "wait":
      return t("flow-editor.summary.wait", { duration: step.duration });
    case "wait_until":
      return step.days && step.days.length > 0
        ? t("flow-editor.summary.wait-until-days", { time: step.time, days: step.days.join(", ") })
        : t("flow-editor.summary.wait-until", { time: step.time });
    case "wait_for_event":
      return t("flow-editor.summary.wait-for-event", { event: step.event, timeout: step.timeout });
    case "condition":
      return t("flow-editor.summary.condition", { condition: conditionText(step.if, t) });
    case "ab_split":
      return t("flow-editor.summary.ab-split", {
        variants: step.variants.map((variant) => t("flow-editor.branch.variant", { name: variant.name, weight: variant.weight })).join(" / "),
      });
    case "exit":
      return t("flow-editor.summary.exit", { outcome: step.outcome ?? t("flow-editor.summary.completed") });
    case "action": {
      const detail = actionDetail(step);
      const title = stepTitle(step, catalog, t);
      return detail === undefined ? title : t("flow-editor.summary.action", { title, detail });
    }
  }
}

export function triggerSummary(trigger: Trigger, t: Translate = inEnglish): string {
  return trigger.filters
    ? t("flow-editor.summary.when", { condition: conditionText(trigger.filters, t) })
    : t("flow-editor.summary.every-time");
}

/** " 1 problem", " 2 problems", or nothing: the end of a node's name, as its badge reads. */
export function problemSuffix(count: number, t: Translate = inEnglish): string {
  return count === 0 ? "" : ` ${t("flow-editor.problems", { count })}`;
}

/** The accessible name of a step's node: "Step wait-1: Wait 1h". */
export function stepNodeLabel(step: Step, catalog: Catalog | null, problemCount: number, t: Translate = inEnglish): string {
  return `${t("flow-editor.node.step-label", { id: step.id, summary: stepSummary(step, catalog, t) })}${problemSuffix(problemCount, t)}`;
}

/** The accessible name of the trigger's node: "Trigger: cart_abandoned every time". */
export function triggerNodeLabel(trigger: Trigger, problemCount: number, t: Translate = inEnglish): string {
  return `${t("flow-editor.node.trigger-label", { event: trigger.event, summary: triggerSummary(trigger, t) })}${problemSuffix(problemCount, t)}`;
}
