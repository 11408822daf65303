/** A list of short values typed on one line, separated by commas: `vip, wholesale`. */
import { useId, useState } from "react";
import { useT } from "../i18n/i18n";
import { describedBy, FieldHint } from "./field-hint";

export interface ListInputProps {
  label: string;
  value: readonly (string | number)[] | undefined;
  /** The typed items; an empty line gives undefined. */
  onChange: (value: (string | number)[] | undefined) => void;
  /** Items are numbers (`10, 20`); others are kept as text. */
  numeric?: boolean;
  hint?: string | undefined;
  problems?: readonly string[];
  disabled?: boolean;
  placeholder?: string | undefined;
}

function textOf(value: readonly (string | number)[] | undefined): string {
  return value ? value.join(", ") : "";
}

export function parseList(text: string, numeric: boolean): (string | number)[] {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  return numeric ? items.map((item) => (Number.isFinite(Number(item)) ? Number(item) : item)) : items;
}

export function ListInput({
  label,
  value,
  onChange,
  numeric = false,
  hint,
  problems = [],
  disabled = false,
  placeholder,
}: ListInputProps) {
  const t = useT();
  const id = useId();
  const [text, setText] = useState(() => textOf(value));
  const [shown, setShown] = useState(value);

  // Re-read the value only when it changed from outside, so "vip, " can be typed.
  if (value !== shown) {
    setShown(value);
    if (textOf(value) !== textOf(parseList(text, numeric))) setText(textOf(value));
  }

  const hintId = `${id}-hint`;
  const separatorHint = t("step-forms.list.separator-hint");
  const fullHint = hint ? `${hint} ${separatorHint}` : separatorHint;
  return (
    <div className="step-forms__field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={describedBy(hintId, fullHint, problems)}
        onChange={(event) => {
          setText(event.target.value);
          const items = parseList(event.target.value, numeric);
          const next = items.length > 0 ? items : undefined;
          setShown(next);
          onChange(next);
        }}
      />
      <FieldHint id={hintId} hint={fullHint} problems={problems} />
    </div>
  );
}
