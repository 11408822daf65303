/**
 * The fallback editor: any value as JSON text, checked when the field loses focus. Whatever
 * shape a form does not know stays editable here.
 */
import { useId, useState } from "react";
import { useT } from "../i18n/i18n";
import { describedBy, FieldHint } from "./field-hint";

export interface JsonFieldProps {
  label: string;
  value: unknown;
  /** Called with the parsed value once the text is valid JSON; an empty text gives undefined. */
  onChange: (value: unknown) => void;
  hint?: string | undefined;
  problems?: readonly string[];
  disabled?: boolean;
}

function textOf(value: unknown): string {
  return value === undefined ? "" : JSON.stringify(value, null, 2);
}

export function JsonField({ label, value, onChange, hint, problems = [], disabled = false }: JsonFieldProps) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState(() => textOf(value));
  const [shown, setShown] = useState(value);
  const [error, setError] = useState<string | null>(null);

  if (value !== shown) {
    setShown(value);
    setText(textOf(value));
    setError(null);
  }

  function check() {
    if (text.trim() === "") {
      setError(null);
      setShown(undefined);
      onChange(undefined);
      return;
    }
    try {
      const parsed: unknown = JSON.parse(text);
      setError(null);
      setShown(parsed);
      onChange(parsed);
    } catch (failure) {
      setError(t("step-forms.json.invalid", { reason: failure instanceof Error ? failure.message : String(failure) }));
    }
  }

  const messages = [...(error ? [error] : []), ...problems];
  const hintId = `${id}-hint`;
  return (
    <div className="step-forms__field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="step-forms__json"
        rows={Math.min(12, Math.max(3, text.split("\n").length))}
        spellCheck={false}
        value={text}
        disabled={disabled}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={describedBy(hintId, hint ?? t("step-forms.json.hint"), messages)}
        onChange={(event) => setText(event.target.value)}
        onBlur={check}
      />
      <FieldHint id={hintId} hint={hint ?? t("step-forms.json.hint")} problems={messages} />
    </div>
  );
}
