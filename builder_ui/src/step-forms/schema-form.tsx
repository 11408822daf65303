/**
 * A form generated from a JSON Schema object (an action's `params_schema`), n8n-style: the
 * action describes its parameters and the builder renders them, so a new action needs no UI
 * code. Unset optional fields are left out of the value (the engine applies its defaults).
 */
import { useId } from "react";
import type { Problem } from "../api/client";
import { useT } from "../i18n/i18n";
import { DurationInput } from "./duration-input";
import { describedBy, FieldHint } from "./field-hint";
import { JsonField } from "./json-field";
import {
  fieldKind,
  fieldLabel,
  inputTypeFor,
  resolveRef,
  unwrapNullable,
  type JsonSchema,
} from "./json-schema";
import { ListInput } from "./list-input";
import { messagesAt } from "./problems";
import { TemplatePicker } from "./template-picker";
import "./step-forms.css";

export interface SchemaFormProps {
  /** An object schema; `$ref`s resolve against `root` (the whole params schema). */
  schema: JsonSchema;
  root?: JsonSchema;
  value: Readonly<Record<string, unknown>>;
  onChange: (value: Record<string, unknown>) => void;
  /** The published template names, for fields that name a template. */
  templates: readonly string[];
  /** Problems of the step; those whose field names an input show beside it. */
  problems?: readonly Problem[];
  /** Where this object sits in the step (`params`), to match problems to inputs. */
  path: string;
  disabled?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function SchemaForm({
  schema,
  root = schema,
  value,
  onChange,
  templates,
  problems = [],
  path,
  disabled = false,
}: SchemaFormProps) {
  const t = useT();
  const resolved = resolveRef(schema, root);
  const properties = resolved.properties ?? {};
  const required = new Set(resolved.required ?? []);
  const keys = Object.keys(properties);
  // Keys the schema does not describe are kept and stay editable (as JSON), never dropped.
  const extraKeys = Object.keys(value).filter((key) => !(key in properties));
  const opensToAnything = resolved.additionalProperties !== false;

  function setField(key: string, next: unknown) {
    const copy: Record<string, unknown> = { ...value };
    if (next === undefined) delete copy[key];
    else copy[key] = next;
    onChange(copy);
  }

  if (keys.length === 0 && opensToAnything) {
    return (
      <JsonField
        label={t("step-forms.parameters")}
        value={Object.keys(value).length > 0 ? value : undefined}
        hint={resolved.description}
        problems={messagesAt(problems, path)}
        disabled={disabled}
        onChange={(next) => onChange(isRecord(next) ? next : {})}
      />
    );
  }

  return (
    <div className="schema-form">
      {keys.length === 0 ? (
        <p className="step-forms__muted">{resolved.description ?? t("step-forms.parameters.nothing")}</p>
      ) : null}
      {keys.map((key) => (
        <SchemaField
          key={key}
          name={key}
          schema={properties[key] ?? {}}
          root={root}
          value={value[key]}
          required={required.has(key)}
          templates={templates}
          problems={problems}
          path={`${path}.${key}`}
          disabled={disabled}
          onChange={(next) => setField(key, next)}
        />
      ))}
      {extraKeys.length > 0 ? (
        <JsonField
          label={t("step-forms.parameters.other")}
          hint={t("step-forms.parameters.other-hint")}
          value={Object.fromEntries(extraKeys.map((key) => [key, value[key]]))}
          disabled={disabled}
          onChange={(next) => {
            const described = Object.fromEntries(
              Object.entries(value).filter(([key]) => key in properties),
            );
            onChange({ ...described, ...(isRecord(next) ? next : {}) });
          }}
        />
      ) : null}
    </div>
  );
}

interface SchemaFieldProps {
  name: string;
  schema: JsonSchema;
  root: JsonSchema;
  value: unknown;
  required: boolean;
  templates: readonly string[];
  problems: readonly Problem[];
  path: string;
  disabled: boolean;
  /** The new value; undefined leaves the key out. */
  onChange: (value: unknown) => void;
}

function defaultText(schema: JsonSchema): string | undefined {
  const fallback = schema.default;
  if (fallback === undefined || fallback === null) return undefined;
  return typeof fallback === "string" ? fallback : JSON.stringify(fallback);
}

function SchemaField({
  name,
  schema: raw,
  root,
  value,
  required,
  templates,
  problems,
  path,
  disabled,
  onChange,
}: SchemaFieldProps) {
  const t = useT();
  const id = useId();
  const { schema } = unwrapNullable(raw, root);
  const kind = fieldKind(schema);
  const label = fieldLabel(name, schema);
  const hint = schema.description;
  const messages = messagesAt(problems, path);
  const placeholder = defaultText(schema);
  const hintId = `${id}-hint`;
  const common = {
    id,
    disabled,
    required,
    "aria-invalid": messages.length > 0 || undefined,
    "aria-describedby": describedBy(hintId, hint, messages),
  };

  switch (kind) {
    case "duration":
      return (
        <DurationInput
          label={label}
          value={typeof value === "string" ? value : undefined}
          optional={!required}
          allowZero
          placeholder={placeholder}
          hint={hint}
          problems={messages}
          disabled={disabled}
          onChange={(next) => onChange(next ?? undefined)}
        />
      );
    case "template":
      return (
        <TemplatePicker
          label={label}
          value={typeof value === "string" ? value : undefined}
          templates={templates}
          defaultName={placeholder}
          required={required}
          hint={hint}
          problems={messages}
          disabled={disabled}
          onChange={onChange}
        />
      );
    case "enum": {
      const choices = (schema.enum ?? []).filter((choice): choice is string => typeof choice === "string");
      const current = typeof value === "string" ? value : "";
      return (
        <div className="step-forms__field">
          <label htmlFor={id}>{label}</label>
          <select {...common} value={current} onChange={(event) => onChange(event.target.value || undefined)}>
            {required && current !== "" ? null : (
              <option value="">{placeholder ? t("step-forms.default", { value: placeholder }) : t("step-forms.choose")}</option>
            )}
            {current !== "" && !choices.includes(current) ? <option value={current}>{current}</option> : null}
            {choices.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
          <FieldHint id={hintId} hint={hint} problems={messages} />
        </div>
      );
    }
    case "text":
      return (
        <div className="step-forms__field">
          <label htmlFor={id}>{label}</label>
          <input
            {...common}
            type={inputTypeFor(schema.format)}
            value={typeof value === "string" ? value : value === undefined || value === null ? "" : String(value)}
            placeholder={placeholder}
            maxLength={schema.maxLength}
            onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
          />
          <FieldHint id={hintId} hint={hint} problems={messages} />
        </div>
      );
    case "integer":
    case "number":
      return (
        <div className="step-forms__field">
          <label htmlFor={id}>{label}</label>
          <input
            {...common}
            type="number"
            inputMode={kind === "integer" ? "numeric" : "decimal"}
            step={kind === "integer" ? 1 : "any"}
            min={schema.minimum ?? schema.exclusiveMinimum}
            max={schema.maximum ?? schema.exclusiveMaximum}
            value={typeof value === "number" ? value : typeof value === "string" ? value : ""}
            placeholder={placeholder}
            onChange={(event) => {
              const text = event.target.value;
              onChange(text === "" ? undefined : Number(text));
            }}
          />
          <FieldHint id={hintId} hint={hint} problems={messages} />
        </div>
      );
    case "boolean": {
      const checked = typeof value === "boolean" ? value : schema.default === true;
      return (
        <div className="step-forms__field step-forms__check">
          <input
            {...common}
            required={false}
            type="checkbox"
            checked={checked}
            onChange={(event) => onChange(event.target.checked)}
          />
          <label htmlFor={id}>{label}</label>
          <FieldHint id={hintId} hint={hint} problems={messages} />
        </div>
      );
    }
    case "list": {
      const items = Array.isArray(value)
        ? value.filter((item): item is string | number => typeof item === "string" || typeof item === "number")
        : undefined;
      const itemType = schema.items?.type;
      return (
        <ListInput
          label={label}
          value={items}
          numeric={itemType === "integer" || itemType === "number"}
          hint={hint}
          problems={messages}
          disabled={disabled}
          placeholder={placeholder}
          onChange={onChange}
        />
      );
    }
    case "object":
      return (
        <fieldset className="schema-form__group">
          <legend>{label}</legend>
          {hint ? <p className="step-forms__muted">{hint}</p> : null}
          <SchemaForm
            schema={schema}
            root={root}
            value={isRecord(value) ? value : {}}
            templates={templates}
            problems={problems}
            path={path}
            disabled={disabled}
            onChange={(next) => onChange(Object.keys(next).length === 0 && !required ? undefined : next)}
          />
        </fieldset>
      );
    case "json":
      return (
        <JsonField
          label={label}
          value={value}
          hint={hint}
          problems={messages}
          disabled={disabled}
          onChange={onChange}
        />
      );
  }
}
