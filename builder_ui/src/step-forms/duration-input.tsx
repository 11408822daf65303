/**
 * A duration as one number and a unit ("2" + "hours"), read from and written as the
 * definition's text (`2h`). Playwright and people alike find the number by its label and the
 * unit by "Unit".
 */
import { useId, useState } from "react";
import { useT } from "../i18n/i18n";
import { DURATION_UNITS, formatDuration, parseDuration, type DurationUnit } from "./duration";
import { describedBy, FieldHint } from "./field-hint";

export interface DurationInputProps {
  label: string;
  /** The definition's text, e.g. `2h`; null or undefined when unset. */
  value: string | null | undefined;
  onChange: (value: string | null) => void;
  /** Clearing the number unsets it (onChange(null)) instead of being an error. */
  optional?: boolean;
  /** Zero is allowed (e.g. "valid for 0 days" is not, a cooldown of 0 is). */
  allowZero?: boolean;
  /** Shown when unset: the default the engine applies, e.g. `7d`. */
  placeholder?: string | undefined;
  hint?: string | undefined;
  problems?: readonly string[];
  disabled?: boolean;
}

interface Draft {
  amount: string;
  unit: DurationUnit;
}

function draftOf(value: string | null | undefined, placeholder?: string): Draft {
  const parts = value ? parseDuration(value) : null;
  if (parts) return { amount: String(parts.amount), unit: parts.unit };
  const fallback = placeholder ? parseDuration(placeholder) : null;
  return { amount: "", unit: fallback?.unit ?? "h" };
}

export function DurationInput({
  label,
  value,
  onChange,
  optional = false,
  allowZero = false,
  placeholder,
  hint,
  problems = [],
  disabled = false,
}: DurationInputProps) {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(value, placeholder));
  const [shownValue, setShownValue] = useState(value);
  const [localError, setLocalError] = useState<string | null>(null);

  // A new value from outside (undo, another step selected) replaces what is being typed.
  if (value !== shownValue) {
    setShownValue(value);
    const ours = draft.amount === "" ? null : `${draft.amount}${draft.unit}`;
    if (value !== ours) {
      setDraft(draftOf(value, placeholder));
      setLocalError(null);
    }
  }

  const unreadable = value && !parseDuration(value) ? value : null;
  const minimum = allowZero ? 0 : 1;

  function emit(next: Draft) {
    setDraft(next);
    // Picking the unit before typing the number is not a mistake.
    if (next.amount.trim() === "" && draft.amount.trim() === "") return;
    if (next.amount.trim() === "") {
      if (optional) {
        setLocalError(null);
        setShownValue(null);
        onChange(null);
      } else {
        setLocalError(t("step-forms.duration.enter-number"));
      }
      return;
    }
    const amount = Number(next.amount);
    if (!Number.isInteger(amount) || amount < minimum) {
      setLocalError(t(allowZero ? "step-forms.duration.whole-or-zero" : "step-forms.duration.whole-above-zero"));
      return;
    }
    setLocalError(null);
    const text = formatDuration({ amount, unit: next.unit });
    setShownValue(text);
    onChange(text);
  }

  const placeholderParts = placeholder ? parseDuration(placeholder) : null;
  const messages = [
    ...(unreadable ? [t("step-forms.duration.unreadable", { value: unreadable })] : []),
    ...(localError ? [localError] : []),
    ...problems,
  ];
  const hintId = `${id}-hint`;
  return (
    // No labelled group around the pair: "Wait for" must name the number input alone.
    <div className="duration-input">
      <label htmlFor={`${id}-amount`}>
        {label}
      </label>
      <div className="duration-input__row">
        <input
          id={`${id}-amount`}
          type="number"
          inputMode="numeric"
          min={minimum}
          step={1}
          value={draft.amount}
          placeholder={placeholderParts ? String(placeholderParts.amount) : undefined}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={describedBy(hintId, hint, messages)}
          disabled={disabled}
          onChange={(event) => emit({ ...draft, amount: event.target.value })}
        />
        <label htmlFor={`${id}-unit`} className="visually-hidden">
          {t("step-forms.duration.unit")}
        </label>
        <select
          id={`${id}-unit`}
          value={draft.unit}
          disabled={disabled}
          onChange={(event) => emit({ ...draft, unit: event.target.value as DurationUnit })}
        >
          {DURATION_UNITS.map(({ unit, key }) => (
            <option key={unit} value={unit}>
              {t(key)}
            </option>
          ))}
        </select>
      </div>
      <FieldHint id={hintId} hint={hint} problems={messages} />
    </div>
  );
}
