/**
 * Builds a condition from rules (field, operator, value) and groups (all / any), each of
 * which may be negated ("not"). Used by condition steps and by trigger filters.
 */
import { useId } from "react";
import type { Condition } from "../definition/definition";
import {
  adaptValue,
  coerceLoose,
  defaultValue,
  kindOf,
  newLeaf,
  operatorsFor,
  takesList,
  type CatalogField,
  type Leaf,
  type Operator,
} from "./condition";
import { FieldHint } from "./field-hint";
import { humaniseName, OPERATOR_LABELS } from "./labels";
import { ListInput } from "./list-input";
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

interface Context {
  fields: readonly CatalogField[];
  stepIds: readonly string[] | undefined;
  readOnly: boolean;
}

const OTHER_FIELD = "__other__";

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
  const id = useId();
  const context: Context = { fields, stepIds, readOnly };
  const hintId = `${id}-hint`;
  return (
    <fieldset
      className="condition-builder"
      aria-describedby={problems.length > 0 ? hintId : undefined}
    >
      <legend>{label}</legend>
      {value === null ? (
        <div className="condition-builder__none">
          <p className="step-forms__muted">No conditions: every journey passes.</p>
          {readOnly ? null : (
            <button type="button" className="button--secondary" onClick={() => onChange(newLeaf(fields))}>
              Add rule
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

type Wrap = (shown: Condition) => Condition;
const asIs: Wrap = (shown) => shown;

interface NodeProps {
  node: Condition;
  context: Context;
  /** Replaces this node in its parent (the whole node, with its "not"s). */
  onChange: (node: Condition) => void;
  /** Absent where the node may not be removed (the only rule of a required condition). */
  onRemove: (() => void) | undefined;
  isRoot?: boolean;
}

/** What a rule or group edits: its node without "not"s, and how to put them back. */
interface Shown {
  negated: boolean;
  /** The node as stored, from an edited shown node. */
  wrap: Wrap;
  /** The same, one "not" fewer (the toggle switched off). */
  unwrapOnce: Wrap;
}

function ConditionNode({ node, context, onChange, onRemove, isRoot = false }: NodeProps) {
  // "not" is drawn as a toggle on the rule or group it wraps.
  let shownNode = node;
  let shown: Shown = { negated: false, wrap: asIs, unwrapOnce: asIs };
  while (kindOf(shownNode) === "not" && "not" in shownNode) {
    const outer = shown.wrap;
    shown = { negated: true, wrap: (inner) => outer({ not: inner }), unwrapOnce: outer };
    shownNode = shownNode.not;
  }
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
          Add rule
        </button>
      ) : null}
    </div>
  );
}

interface GroupProps {
  node: Condition;
  shown: Shown;
  context: Context;
  onChange: (node: Condition) => void;
  onRemove: (() => void) | undefined;
}

function toggleNot(shown: Shown, node: Condition, onChange: (node: Condition) => void) {
  return (negate: boolean) => onChange(negate ? shown.wrap({ not: node }) : shown.unwrapOnce(node));
}

function GroupNode({ node, shown, context, onChange, onRemove }: GroupProps) {
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
          Match
        </label>
        <select
          id={`${id}-match`}
          value={match}
          disabled={readOnly}
          onChange={(event) =>
            onChange(shown.wrap(event.target.value === "all" ? { all: children } : { any: children }))
          }
        >
          <option value="all">all of these rules</option>
          <option value="any">any of these rules</option>
        </select>
        {onRemove && !readOnly ? (
          <button type="button" className="button--secondary" onClick={onRemove}>
            Remove group
          </button>
        ) : null}
      </div>
      {children.length === 0 ? <p className="step-forms__muted">No rules yet.</p> : null}
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
            Add rule
          </button>
          <button
            type="button"
            className="button--secondary"
            onClick={() => setChildren([...children, { any: [newLeaf(context.fields)] }])}
          >
            Add group
          </button>
        </div>
      )}
    </div>
  );
}

function NotToggle({
  negated,
  readOnly,
  onToggle,
  what,
}: {
  negated: boolean;
  readOnly: boolean;
  onToggle: (negate: boolean) => void;
  what: string;
}) {
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
      <label htmlFor={id} title={`The ${what} must not match`}>
        Not
      </label>
    </span>
  );
}

interface LeafProps {
  leaf: Leaf;
  shown: Shown;
  context: Context;
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

function LeafRow({ leaf, shown, context, onChange, onRemove }: LeafProps) {
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
    <div className="condition-builder__rule" role="group" aria-label="Rule">
      <NotToggle
        negated={shown.negated}
        readOnly={readOnly}
        onToggle={toggleNot(shown, leaf, onChange)}
        what="rule"
      />
      <div className="condition-builder__cell">
        <label htmlFor={`${id}-field`}>Field</label>
        <select
          id={`${id}-field`}
          value={known ? known.path : OTHER_FIELD}
          disabled={readOnly}
          onChange={(event) => pickField(event.target.value)}
        >
          {groupByRoot(fields).map(([root, members]) => (
            <optgroup key={root} label={humaniseName(root)}>
              {members.map((field) => (
                <option key={field.path} value={field.path}>
                  {field.label}
                </option>
              ))}
            </optgroup>
          ))}
          <option value={OTHER_FIELD}>
            {stepIds ? "Earlier step's result or other field…" : "Other field…"}
          </option>
        </select>
      </div>
      {known ? null : (
        <div className="condition-builder__cell">
          <label htmlFor={`${id}-path`}>Field path</label>
          <input
            id={`${id}-path`}
            type="text"
            value={leaf.field}
            placeholder={stepIds ? "steps.<step id>.code" : "customer.tags"}
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
        <label htmlFor={`${id}-op`}>Operator</label>
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
              {OPERATOR_LABELS[op] ?? op}
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
          Remove rule
        </button>
      ) : null}
    </div>
  );
}

function isScalar(item: unknown): item is string | number {
  return typeof item === "string" || typeof item === "number";
}

/** A value of a field the catalog does not know, as typed text (lists and objects as JSON). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function ValueInput({
  leaf,
  field,
  readOnly,
  onChange,
}: {
  leaf: Leaf;
  field: CatalogField | undefined;
  readOnly: boolean;
  onChange: (value: unknown) => void;
}) {
  const id = useId();
  const { value } = leaf;

  if (takesList(leaf.op)) {
    const items = Array.isArray(value) ? value.filter(isScalar) : [];
    if (field?.type === "enum") {
      return (
        <fieldset className="condition-builder__choices">
          <legend>Values</legend>
          {field.values.map((choice) => (
            <span key={choice} className="step-forms__check">
              <input
                id={`${id}-${choice}`}
                type="checkbox"
                checked={items.includes(choice)}
                disabled={readOnly}
                onChange={(event) =>
                  onChange(event.target.checked ? [...items, choice] : items.filter((item) => item !== choice))
                }
              />
              <label htmlFor={`${id}-${choice}`}>{choice}</label>
            </span>
          ))}
        </fieldset>
      );
    }
    return (
      <ListInput
        label="Values"
        value={items}
        numeric={field?.type === "number"}
        disabled={readOnly}
        onChange={(next) => onChange(next ?? [])}
      />
    );
  }

  switch (field?.type) {
    case "number":
      return (
        <>
          <label htmlFor={id}>Value</label>
          <input
            id={id}
            type="number"
            step="any"
            value={typeof value === "number" ? value : typeof value === "string" ? value : ""}
            disabled={readOnly}
            onChange={(event) => onChange(event.target.value === "" ? null : Number(event.target.value))}
          />
        </>
      );
    case "boolean":
      return (
        <>
          <label htmlFor={id}>Value</label>
          <select
            id={id}
            value={String(value === true)}
            disabled={readOnly}
            onChange={(event) => onChange(event.target.value === "true")}
          >
            <option value="true">yes</option>
            <option value="false">no</option>
          </select>
        </>
      );
    case "enum": {
      const current = typeof value === "string" ? value : "";
      return (
        <>
          <label htmlFor={id}>Value</label>
          <select id={id} value={current} disabled={readOnly} onChange={(event) => onChange(event.target.value)}>
            {field.values.includes(current) ? null : <option value={current}>{current || "Choose…"}</option>}
            {field.values.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </>
      );
    }
    case "string":
    case "list":
      return (
        <>
          <label htmlFor={id}>Value</label>
          <input
            id={id}
            type="text"
            value={value === null || value === undefined ? "" : String(value)}
            disabled={readOnly}
            onChange={(event) => onChange(event.target.value)}
          />
        </>
      );
    default:
      return (
        <>
          <label htmlFor={id}>Value</label>
          <input
            id={id}
            type="text"
            value={textOf(value)}
            disabled={readOnly}
            onChange={(event) => onChange(coerceLoose(event.target.value))}
          />
        </>
      );
  }
}
