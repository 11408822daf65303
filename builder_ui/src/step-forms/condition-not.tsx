/**
 * "not" in the condition builder: drawn as a toggle on the rule or group it wraps, so the
 * editors work on the node inside and put the "not"s back when they write it.
 */
import { useId } from "react";
import type { Condition } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { kindOf } from "./condition";

export type Wrap = (shown: Condition) => Condition;
const asIs: Wrap = (shown) => shown;

/** What a rule or group edits: its node without "not"s, and how to put them back. */
export interface Shown {
  negated: boolean;
  /** The node as stored, from an edited shown node. */
  wrap: Wrap;
  /** The same, one "not" fewer (the toggle switched off). */
  unwrapOnce: Wrap;
}

/** The node without its "not"s, and how to put them back. */
export function shownOf(node: Condition): { shownNode: Condition; shown: Shown } {
  let shownNode = node;
  let shown: Shown = { negated: false, wrap: asIs, unwrapOnce: asIs };
  while (kindOf(shownNode) === "not" && "not" in shownNode) {
    const outer = shown.wrap;
    shown = { negated: true, wrap: (inner) => outer({ not: inner }), unwrapOnce: outer };
    shownNode = shownNode.not;
  }
  return { shownNode, shown };
}

export function toggleNot(shown: Shown, node: Condition, onChange: (node: Condition) => void) {
  return (negate: boolean) => onChange(negate ? shown.wrap({ not: node }) : shown.unwrapOnce(node));
}

export function NotToggle({
  negated,
  readOnly,
  onToggle,
  what,
}: {
  negated: boolean;
  readOnly: boolean;
  onToggle: (negate: boolean) => void;
  what: "rule" | "group";
}) {
  const t = useT();
  const id = useId();
  return (
    <span className="condition-builder__not">
      <input
        id={id}
        type="checkbox"
        checked={negated}
        disabled={readOnly}
        onChange={(event) => onToggle(event.target.checked)}
      />
      <label htmlFor={id} title={t(what === "rule" ? "step-forms.condition.not-rule" : "step-forms.condition.not-group")}>
        {t("step-forms.condition.not")}
      </label>
    </span>
  );
}
