/**
 * Builds a condition from rules (field, operator, value) and groups (all / any), each of
 * which may be negated ("not"). Used by condition steps and by trigger filters.
 */
import { useId } from "react";
import type { Condition } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { newLeaf, type CatalogField, type Leaf } from "./condition";
import { NotToggle, shownOf, toggleNot, type Shown } from "./condition-not";
import { LeafRow, type ConditionContext } from "./condition-rule";
import { FieldHint } from "./field-hint";
import "./step-forms.css";

export interface ConditionBuilderProps {
  /** The group's legend, e.g. "Only when" or "Filters". */
  label: string;
  /** null: no condition (only when `optional`). */
  value: Condition | null;
  onChange: (value: Condition | null) => void;
  /** The fields offered, already limited to the trigger (see `fieldsFor`). */
  fields: readonly CatalogField[];
  /** Removing the last rule leaves no condition at all (trigger filters). */
  optional?: boolean;
  /** Ids of earlier action steps, suggested as `steps.<id>.` fields; omit where none may be tested. */
  stepIds?: readonly string[] | undefined;
  readOnly?: boolean;
  problems?: readonly string[];
}

export function ConditionBuilder({
  label,
  value,
  onChange,
  fields,
  optional = false,
  stepIds,
  readOnly = false,
  problems = [],
}: ConditionBuilderProps) {
  const t = useT();
  const id = useId();
  const context: ConditionContext = { fields, stepIds, readOnly };
  const hintId = `${id}-hint`;
  return (
    <fieldset
      className="condition-builder"
      aria-describedby={problems.length > 0 ? hintId : undefined}
    >
      <legend>{label}</legend>
      {value === null ? (
        <div className="condition-builder__none">
          <p className="step-forms__muted">{t("step-forms.condition.none")}</p>
          {readOnly ? null : (
            <button type="button" className="button--secondary" onClick={() => onChange(newLeaf(fields))}>
              {t("step-forms.condition.add-rule")}
            </button>
          )}
        </div>
      ) : (
        <ConditionNode
          node={value}
          context={context}
          onChange={onChange}
          isRoot
          onRemove={optional ? () => onChange(null) : undefined}
        />
      )}
      <FieldHint id={hintId} problems={problems} />
    </fieldset>
  );
}

interface NodeProps {
  node: Condition;
  context: ConditionContext;
  /** Replaces this node in its parent (the whole node, with its "not"s). */
  onChange: (node: Condition) => void;
  /** Absent where the node may not be removed (the only rule of a required condition). */
  onRemove: (() => void) | undefined;
  isRoot?: boolean;
}

function ConditionNode({ node, context, onChange, onRemove, isRoot = false }: NodeProps) {
  const t = useT();
  const { shownNode, shown } = shownOf(node);
  if ("all" in shownNode || "any" in shownNode) {
    return (
      <GroupNode
        node={shownNode}
        shown={shown}
        context={context}
        onChange={onChange}
        onRemove={onRemove}
      />
    );
  }
  const leaf = shownNode as Leaf;
  return (
    <div className="condition-builder__root-leaf">
      <LeafRow leaf={leaf} shown={shown} context={context} onChange={onChange} onRemove={onRemove} />
      {isRoot && !context.readOnly ? (
        <button
          type="button"
          className="button--secondary"
          // A second rule turns the single rule into an "all of" group.
          onClick={() => onChange({ all: [node, newLeaf(context.fields)] })}
        >
          {t("step-forms.condition.add-rule")}
        </button>
      ) : null}
    </div>
  );
}

interface GroupProps {
  node: Condition;
  shown: Shown;
  context: ConditionContext;
  onChange: (node: Condition) => void;
  onRemove: (() => void) | undefined;
}

function GroupNode({ node, shown, context, onChange, onRemove }: GroupProps) {
  const t = useT();
  const id = useId();
  const match = "all" in node ? "all" : "any";
  const children: Condition[] = "all" in node ? node.all : "any" in node ? node.any : [];
  const setChildren = (next: Condition[]) =>
    onChange(shown.wrap(match === "all" ? { all: next } : { any: next }));
  const { readOnly } = context;

  return (
    <div className="condition-builder__group" role="group" aria-labelledby={`${id}-match-label`}>
      <div className="condition-builder__group-head">
        <NotToggle
          negated={shown.negated}
          readOnly={readOnly}
          onToggle={toggleNot(shown, node, onChange)}
          what="group"
        />
        <label id={`${id}-match-label`} htmlFor={`${id}-match`}>
          {t("step-forms.condition.match")}
        </label>
        <select
          id={`${id}-match`}
          value={match}
          disabled={readOnly}
          onChange={(event) =>
            onChange(shown.wrap(event.target.value === "all" ? { all: children } : { any: children }))
          }
        >
          <option value="all">{t("step-forms.condition.match-all")}</option>
          <option value="any">{t("step-forms.condition.match-any")}</option>
        </select>
        {onRemove && !readOnly ? (
          <button type="button" className="button--secondary" onClick={onRemove}>
            {t("step-forms.condition.remove-group")}
          </button>
        ) : null}
      </div>
      {children.length === 0 ? <p className="step-forms__muted">{t("step-forms.condition.no-rules")}</p> : null}
      <ul className="condition-builder__children">
        {children.map((child, index) => (
          <li key={index}>
            <ConditionNode
              node={child}
              context={context}
              onChange={(next) => setChildren(children.map((old, at) => (at === index ? next : old)))}
              onRemove={
                // The root group of a required condition keeps at least one rule.
                children.length > 1 || onRemove
                  ? () => setChildren(children.filter((_, at) => at !== index))
                  : undefined
              }
            />
          </li>
        ))}
      </ul>
      {readOnly ? null : (
        <div className="condition-builder__add">
          <button
            type="button"
            className="button--secondary"
            onClick={() => setChildren([...children, newLeaf(context.fields)])}
          >
            {t("step-forms.condition.add-rule")}
          </button>
          <button
            type="button"
            className="button--secondary"
            onClick={() => setChildren([...children, { any: [newLeaf(context.fields)] }])}
          >
            {t("step-forms.condition.add-group")}
          </button>
        </div>
      )}
    </div>
  );
}

