/** One rule of a condition: a field (from the catalog, or any path), an operator and a value. */
import { useId } from "react";
import type { Condition } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { adaptValue, defaultValue, operatorsFor, type CatalogField, type Leaf, type Operator } from "./condition";
import { NotToggle, toggleNot, type Shown } from "./condition-not";
import { ValueInput } from "./condition-value-input";
import { fieldRootLabel, operatorLabel } from "./labels";

/** What every node of a condition builder shares. */
export interface ConditionContext {
  fields: readonly CatalogField[];
  stepIds: readonly string[] | undefined;
  readOnly: boolean;
}

const OTHER_FIELD = "__other__";

interface LeafProps {
  leaf: Leaf;
  shown: Shown;
  context: ConditionContext;
  onChange: (node: Condition) => void;
  onRemove: (() => void) | undefined;
}

function groupByRoot(fields: readonly CatalogField[]): [string, CatalogField[]][] {
  const groups = new Map<string, CatalogField[]>();
  for (const field of fields) {
    const root = field.path.split(".")[0] ?? field.path;
    groups.set(root, [...(groups.get(root) ?? []), field]);
  }
  return [...groups.entries()];
}

export function LeafRow({ leaf, shown, context, onChange, onRemove }: LeafProps) {
  const t = useT();
  const id = useId();
  const { fields, stepIds, readOnly } = context;
  const known = fields.find((field) => field.path === leaf.field);
  const operators = operatorsFor(known?.type);
  // A saved operator that does not fit the field is still shown, never silently changed.
  const offered = operators.includes(leaf.op) ? operators : [...operators, leaf.op];
  const wrap = (next: Leaf): Condition => shown.wrap(next);

  function pickField(path: string) {
    if (path === OTHER_FIELD) {
      const firstStep = stepIds?.[0];
      const field = firstStep ? `steps.${firstStep}.` : "";
      onChange(wrap({ field, op: leaf.op, value: adaptValue(leaf.value, undefined, leaf.op) }));
      return;
    }
    const field = fields.find((candidate) => candidate.path === path);
    const ops = operatorsFor(field?.type);
    const op = ops.includes(leaf.op) ? leaf.op : (ops[0] ?? "eq");
    const sameType = field?.type === known?.type;
    const value = sameType ? adaptValue(leaf.value, field, op) : defaultValue(field, op);
    onChange(wrap({ field: path, op, value }));
  }

  return (
    <div className="condition-builder__rule" role="group" aria-label={t("step-forms.condition.rule")}>
      <NotToggle
        negated={shown.negated}
        readOnly={readOnly}
        onToggle={toggleNot(shown, leaf, onChange)}
        what="rule"
      />
      <div className="condition-builder__cell">
        <label htmlFor={`${id}-field`}>{t("step-forms.condition.field")}</label>
        <select
          id={`${id}-field`}
          value={known ? known.path : OTHER_FIELD}
          disabled={readOnly}
          onChange={(event) => pickField(event.target.value)}
        >
          {groupByRoot(fields).map(([root, members]) => (
            <optgroup key={root} label={fieldRootLabel(t, root)}>
              {members.map((field) => (
                <option key={field.path} value={field.path}>
                  {field.label}
                </option>
              ))}
            </optgroup>
          ))}
          <option value={OTHER_FIELD}>
            {t(stepIds ? "step-forms.condition.other-field-or-step" : "step-forms.condition.other-field")}
          </option>
        </select>
      </div>
      {known ? null : (
        <div className="condition-builder__cell">
          <label htmlFor={`${id}-path`}>{t("step-forms.condition.field-path")}</label>
          <input
            id={`${id}-path`}
            type="text"
            value={leaf.field}
            placeholder={stepIds ? t("step-forms.condition.step-path-placeholder") : "customer.tags"}
            list={stepIds ? `${id}-steps` : undefined}
            disabled={readOnly}
            onChange={(event) => onChange(wrap({ ...leaf, field: event.target.value }))}
          />
          {stepIds ? (
            <datalist id={`${id}-steps`}>
              {stepIds.map((stepId) => (
                <option key={stepId} value={`steps.${stepId}.`} />
              ))}
            </datalist>
          ) : null}
        </div>
      )}
      <div className="condition-builder__cell">
        <label htmlFor={`${id}-op`}>{t("step-forms.condition.operator")}</label>
        <select
          id={`${id}-op`}
          value={leaf.op}
          disabled={readOnly}
          onChange={(event) => {
            const op = event.target.value as Operator;
            onChange(wrap({ ...leaf, op, value: adaptValue(leaf.value, known, op) }));
          }}
        >
          {offered.map((op) => (
            <option key={op} value={op}>
              {operatorLabel(t, op)}
            </option>
          ))}
        </select>
      </div>
      {leaf.op === "exists" ? null : (
        <div className="condition-builder__cell condition-builder__value">
          <ValueInput
            leaf={leaf}
            field={known}
            readOnly={readOnly}
            onChange={(value) => onChange(wrap({ ...leaf, value }))}
          />
        </div>
      )}
      {onRemove && !readOnly ? (
        <button type="button" className="button--secondary condition-builder__remove" onClick={onRemove}>
          {t("step-forms.condition.remove-rule")}
        </button>
      ) : null}
    </div>
  );
}
