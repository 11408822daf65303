/** The condition language as a form sees it: which operators and values fit a field. */
import type { Schemas } from "../api/client";
import type { Catalog, Condition } from "../definition/definition";

export type Leaf = Schemas["Leaf"];
export type Operator = Leaf["op"];
export type CatalogField = Schemas["CatalogField"];
export type FieldType = CatalogField["type"];

export const ALL_OPERATORS: readonly Operator[] = [
  "eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "exists",
];

// What the interpreter compares meaningfully (engine/language/conditions.py `_compare`): `contains`
// is a substring test on text and a membership test on lists; order needs numbers.
const OPERATORS_BY_TYPE: Readonly<Record<FieldType, readonly Operator[]>> = {
  number: ["eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "exists"],
  // Amounts compare in their currency (engine/language/money.py): comparisons only.
  money: ["eq", "ne", "gt", "gte", "lt", "lte", "exists"],
  string: ["eq", "ne", "in", "not_in", "contains", "exists"],
  boolean: ["eq", "ne", "exists"],
  enum: ["eq", "ne", "in", "not_in", "exists"],
  list: ["contains", "exists"],
};

/** The operators offered for a field; an unknown field (e.g. `steps.<id>.code`) gets all. */
export function operatorsFor(type: FieldType | undefined): readonly Operator[] {
  return type ? OPERATORS_BY_TYPE[type] : ALL_OPERATORS;
}

export function takesList(op: Operator): boolean {
  return op === "in" || op === "not_in";
}

/** A sensible first value for a rule on this field with this operator. */
export function defaultValue(field: CatalogField | undefined, op: Operator): unknown {
  if (op === "exists") return null;
  if (takesList(op)) return [];
  switch (field?.type) {
    case "number":
    case "money":
      return 0;
    case "boolean":
      return true;
    case "enum":
      return field.values[0] ?? "";
    case "string":
    case "list":
      return "";
    default:
      return null;
  }
}

/** The value carried over when the operator changes between one value and a list. */
export function adaptValue(value: unknown, field: CatalogField | undefined, op: Operator): unknown {
  if (op === "exists") return null;
  if (takesList(op)) {
    if (Array.isArray(value)) return value;
    return value === null || value === undefined || value === "" ? [] : [value];
  }
  if (Array.isArray(value)) return value.length > 0 ? value[0] : defaultValue(field, op);
  return value === null || value === undefined ? defaultValue(field, op) : value;
}

/** A new rule: the first field offered, its first operator and a default value. */
export function newLeaf(fields: readonly CatalogField[]): Leaf {
  const field = fields[0];
  const op = operatorsFor(field?.type)[0] ?? "eq";
  return { field: field?.path ?? "", op, value: defaultValue(field, op) };
}

export type ConditionKind = "leaf" | "all" | "any" | "not";

export function kindOf(condition: Condition): ConditionKind {
  if ("all" in condition) return "all";
  if ("any" in condition) return "any";
  if ("not" in condition) return "not";
  return "leaf";
}

/**
 * The fields a condition may test: those the trigger's journeys have; a step's condition may
 * not test `filters_only` fields (derived from personal data, never inside a journey).
 */
export function fieldsFor(
  catalog: Pick<Catalog, "fields">,
  trigger: string | undefined,
  scope: "filters" | "step",
): CatalogField[] {
  return catalog.fields.filter(
    (field) =>
      (trigger === undefined || field.triggers.includes(trigger)) &&
      (scope === "filters" || !field.filters_only),
  );
}

/** A free-typed value on a field the catalog does not describe: numbers and booleans as such. */
export function coerceLoose(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "true") return true;
  if (trimmed === "false") return false;
  if (trimmed !== "" && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return text;
}
