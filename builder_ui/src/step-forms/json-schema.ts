/**
 * The slice of JSON Schema that action params use (pydantic's output: titles, defaults,
 * enums, bounds, formats, `$defs`/`$ref`, `anyOf` with null for optional fields), and how the
 * form reads it. Anything else is still editable, as JSON.
 *
 * An action asks for more with Boomerang's `x-` hints (its params model's `json_schema_extra`,
 * docs/custom-actions.md), so the builder never special-cases an action or a field by name.
 */

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  /** On a field: `"template"` names a published template (a picker; a new step picks one);
   * `"duration"` is a duration such as `30m` (the duration input). */
  "x-widget"?: string;
  /** On a field: the value a new step starts with, when it is not the default. */
  "x-suggested"?: unknown;
  /** On the params object: what the ids of new steps of the action start with (`email-1`). */
  "x-step-id"?: string;
  [key: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The catalog types `params_schema` loosely; every schema is an object. */
export function asSchema(value: unknown): JsonSchema {
  return isRecord(value) ? (value as JsonSchema) : {};
}

/** Follows a local `$ref` (`#/$defs/X`, `#/definitions/X`) against the root schema. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  const seen = new Set<string>();
  while (current.$ref && !seen.has(current.$ref)) {
    seen.add(current.$ref);
    const path = current.$ref.replace(/^#\//, "").split("/");
    let target: unknown = root;
    for (const part of path) target = isRecord(target) ? target[part] : undefined;
    if (!isRecord(target)) return current;
    // Keywords beside the $ref (title, description, default) win over the target's.
    const { $ref: _ref, ...beside } = current;
    current = { ...(target as JsonSchema), ...beside };
  }
  return current;
}

/**
 * An optional field (`anyOf: [X, {type: null}]`) as X, remembering it may be null; the outer
 * title, description and default are kept.
 */
export function unwrapNullable(
  schema: JsonSchema,
  root: JsonSchema,
): { schema: JsonSchema; nullable: boolean } {
  const resolved = resolveRef(schema, root);
  const members = resolved.anyOf ?? resolved.oneOf;
  if (!members) return { schema: resolved, nullable: false };
  const others = members.filter((member) => member.type !== "null");
  if (others.length !== 1 || others.length === members.length) {
    return { schema: resolved, nullable: false };
  }
  const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = resolved;
  return { schema: { ...resolveRef(others[0] ?? {}, root), ...outer }, nullable: true };
}

export type FieldKind =
  | "duration"
  | "template"
  | "enum"
  | "text"
  | "integer"
  | "number"
  | "boolean"
  | "list"
  | "object"
  | "json";

/** The scalar types a list input can hold (a comma-separated line). */
const LIST_ITEM_TYPES = new Set(["string", "integer", "number"]);

/** Whether the field names a published template. */
export function namesTemplate(schema: JsonSchema): boolean {
  return schema["x-widget"] === "template";
}

/** Which input edits a field. */
export function fieldKind(schema: JsonSchema): FieldKind {
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (schema.enum && schema.enum.every((choice) => typeof choice === "string")) return "enum";
  switch (type) {
    case "string":
      if (schema["x-widget"] === "duration") return "duration";
      if (namesTemplate(schema)) return "template";
      return "text";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const itemType = schema.items?.type;
      return typeof itemType === "string" && LIST_ITEM_TYPES.has(itemType) ? "list" : "json";
    }
    case "object":
      return schema.properties ? "object" : "json";
    default:
      return "json";
  }
}

/** `expires_in` → "Expires in": the label when the schema has no title. */
export function humanise(key: string): string {
  const words = key.replace(/[_-]+/g, " ").replace(/([a-z])([A-Z])/g, "$1 $2").trim();
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

/** The label of a field: its title, unless pydantic made that up from the key. */
export function fieldLabel(key: string, schema: JsonSchema): string {
  return schema.title ?? humanise(key);
}

/** The HTML input type for a string format. */
export function inputTypeFor(format: string | undefined): string {
  switch (format) {
    case "uri":
    case "url":
      return "url";
    case "email":
      return "email";
    case "date":
      return "date";
    case "time":
      return "time";
    default:
      return "text";
  }
}
