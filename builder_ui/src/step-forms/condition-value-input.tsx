/** The value of a condition's rule, input as the field's type asks (a list for `in`). */
import { useId } from "react";
import { useT } from "../i18n/i18n";
import { coerceLoose, takesList, type CatalogField, type Leaf } from "./condition";
import { ListInput } from "./list-input";
import { MoneyThresholdInput } from "../money/money-threshold-input";

function isScalar(item: unknown): item is string | number {
  return typeof item === "string" || typeof item === "number";
}

/** A value of a field the catalog does not know, as typed text (lists and objects as JSON). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function ValueInput({
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
  const t = useT();
  const id = useId();
  const { value } = leaf;

  if (takesList(leaf.op)) {
    const items = Array.isArray(value) ? value.filter(isScalar) : [];
    if (field?.type === "enum") {
      return (
        <fieldset className="condition-builder__choices">
          <legend>{t("step-forms.condition.values")}</legend>
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
        label={t("step-forms.condition.values")}
        value={items}
        numeric={field?.type === "number"}
        disabled={readOnly}
        onChange={(next) => onChange(next ?? [])}
      />
    );
  }

  return (
    <>
      <label htmlFor={id}>{t("step-forms.condition.value")}</label>
      <ScalarValue id={id} value={value} field={field} readOnly={readOnly} onChange={onChange} />
    </>
  );
}

/** The input of one value, labelled "Value" by its caller. */
function ScalarValue({
  id,
  value,
  field,
  readOnly,
  onChange,
}: {
  id: string;
  value: unknown;
  field: CatalogField | undefined;
  readOnly: boolean;
  onChange: (value: unknown) => void;
}) {
  const t = useT();
  const textInput = (shown: string, read: (typed: string) => unknown) => (
    <input id={id} type="text" value={shown} disabled={readOnly} onChange={(event) => onChange(read(event.target.value))} />
  );
  switch (field?.type) {
    case "money":
      return <MoneyThresholdInput id={id} value={value} readOnly={readOnly} onChange={onChange} />;
    case "number":
      return (
        <input
          id={id}
          type="number"
          step="any"
          value={typeof value === "number" ? value : typeof value === "string" ? value : ""}
          disabled={readOnly}
          onChange={(event) => onChange(event.target.value === "" ? null : Number(event.target.value))}
        />
      );
    case "boolean":
      return (
        <select id={id} value={String(value === true)} disabled={readOnly} onChange={(event) => onChange(event.target.value === "true")}>
          <option value="true">{t("step-forms.condition.yes")}</option>
          <option value="false">{t("step-forms.condition.no")}</option>
        </select>
      );
    case "enum": {
      const current = typeof value === "string" ? value : "";
      return (
        <select id={id} value={current} disabled={readOnly} onChange={(event) => onChange(event.target.value)}>
          {field.values.includes(current) ? null : <option value={current}>{current || t("step-forms.choose")}</option>}
          {field.values.map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      );
    }
    case "string":
    case "list":
      return textInput(value === null || value === undefined ? "" : String(value), (typed) => typed);
    default:
      return textInput(textOf(value), coerceLoose);
  }
}
