/** Picks one of the published templates (the catalog's `templates`) by name. */
import { useId } from "react";
import { useT } from "../i18n/i18n";
import { describedBy, FieldHint } from "./field-hint";

export interface TemplatePickerProps {
  label: string;
  value: string | undefined;
  templates: readonly string[];
  /** Picking the empty choice unsets it (onChange(undefined)). */
  onChange: (value: string | undefined) => void;
  /** The template used when none is picked (the params' default). */
  defaultName?: string | undefined;
  required?: boolean;
  hint?: string | undefined;
  problems?: readonly string[];
  disabled?: boolean;
}

export function TemplatePicker({
  label,
  value,
  templates,
  onChange,
  defaultName,
  required = false,
  hint,
  problems = [],
  disabled = false,
}: TemplatePickerProps) {
  const t = useT();
  const id = useId();
  const hintId = `${id}-hint`;
  // A saved name that is not published (any more) stays visible, so picking is never lossy.
  const unknown = value !== undefined && !templates.includes(value);
  const emptyChoice = defaultName
    ? t("step-forms.default", { value: defaultName })
    : required
      ? t("step-forms.template.choose")
      : t("step-forms.template.none");
  return (
    <div className="step-forms__field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ""}
        disabled={disabled}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={describedBy(hintId, hint, problems)}
        onChange={(event) => onChange(event.target.value === "" ? undefined : event.target.value)}
      >
        <option value="">{emptyChoice}</option>
        {unknown ? <option value={value}>{t("step-forms.template.not-published", { name: value })}</option> : null}
        {templates.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <FieldHint id={hintId} hint={hint} problems={problems} />
    </div>
  );
}
