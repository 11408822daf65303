/** Picks one of the published templates (the catalog's `templates`) by name. */
import { useId } from "react";
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
  const id = useId();
  const hintId = `${id}-hint`;
  // A saved name that is not published (any more) stays visible, so picking is never lossy.
  const unknown = value !== undefined && !templates.includes(value);
  const emptyChoice = defaultName
    ? `Default (${defaultName})`
    : required
      ? "Choose a template…"
      : "None";
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
        {unknown ? <option value={value}>{value} (not published)</option> : null}
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
