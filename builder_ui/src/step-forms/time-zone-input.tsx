/** A time zone as the language names it: `customer`, `shop`, or an IANA name (`Europe/Paris`). */
import { useId, useState } from "react";
import { useT } from "../i18n/i18n";
import { describedBy, FieldHint } from "./field-hint";

export interface TimeZoneInputProps {
  /** The select's id (its name input's is `<id>-iana`); generated when left out. */
  id?: string;
  /** "Time zone" when left out. */
  label?: string;
  value: string;
  onChange: (value: string) => void;
  problems?: readonly string[];
  disabled?: boolean;
}

const NAMED = ["customer", "shop"];

function ianaZones(): string[] {
  // Not in every runtime (older jsdom); the text input works without suggestions.
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.("timeZone") ?? [];
  } catch {
    return [];
  }
}

export function TimeZoneInput({
  id: givenId,
  label,
  value,
  onChange,
  problems = [],
  disabled = false,
}: TimeZoneInputProps) {
  const t = useT();
  const generatedId = useId();
  const id = givenId ?? generatedId;
  // Remember "another zone" while its name is still being typed (empty or partial).
  const [typingOther, setTypingOther] = useState(false);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (NAMED.includes(value)) setTypingOther(false); // e.g. undone from outside
  }
  const other = typingOther || !NAMED.includes(value);
  const hintId = `${id}-hint`;
  return (
    <div className="step-forms__field">
      <label htmlFor={id}>{label ?? t("step-forms.time-zone")}</label>
      <select
        id={id}
        value={other ? "other" : value}
        disabled={disabled}
        aria-invalid={problems.length > 0 || undefined}
        aria-describedby={describedBy(hintId, null, problems)}
        onChange={(event) => {
          const choice = event.target.value;
          setTypingOther(choice === "other");
          if (choice !== "other") onChange(choice);
        }}
      >
        <option value="customer">{t("step-forms.time-zone.customer")}</option>
        <option value="shop">{t("step-forms.time-zone.shop")}</option>
        <option value="other">{t("step-forms.time-zone.other")}</option>
      </select>
      {other ? (
        <>
          <label htmlFor={`${id}-iana`}>{t("step-forms.time-zone.name")}</label>
          <input
            id={`${id}-iana`}
            type="text"
            value={NAMED.includes(value) ? "" : value}
            placeholder={t("step-forms.time-zone.example")}
            list={`${id}-zones`}
            disabled={disabled}
            onChange={(event) => onChange(event.target.value)}
          />
          <datalist id={`${id}-zones`}>
            {ianaZones().map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </>
      ) : null}
      <FieldHint id={hintId} problems={problems} />
    </div>
  );
}
