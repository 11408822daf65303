/**
 * Quiet hours (`{start, end, timezone}`, or none): an automation's own in the trigger panel,
 * the shop's default on the Settings page.
 */
import { useId, useState, type ReactNode } from "react";
import type { Schemas } from "../api/client";
import { useT } from "../i18n/i18n";
import { describedBy, FieldHint } from "./field-hint";
import { TimeZoneInput } from "./time-zone-input";
import "./step-forms.css";

export type QuietHours = Schemas["QuietHours"];

/** What ticking the box starts from: the night, in each customer's own time. */
export const DEFAULT_QUIET_HOURS: QuietHours = { start: "21:00", end: "08:00", timezone: "customer" };

export interface QuietHoursInputProps {
  /** `null`: no quiet hours. */
  value: QuietHours | null;
  onChange: (value: QuietHours | null) => void;
  /** The checkbox's words. */
  label: string;
  /** Prefix of the inputs' ids (`<prefix>-start`, …); generated when left out. */
  idPrefix?: string;
  disabled?: boolean;
  /** Words under the inputs, e.g. what "off" means here. */
  hint?: ReactNode;
  /** The API's problems with these quiet hours, shown under the inputs. */
  problems?: readonly string[];
}

export function QuietHoursInput({
  value,
  onChange,
  label,
  idPrefix,
  disabled = false,
  hint,
  problems = [],
}: QuietHoursInputProps) {
  const t = useT();
  const generatedId = useId();
  const id = idPrefix ?? generatedId;
  const hintId = `${id}-hint`;
  const hintRef = describedBy(hintId, hint, problems);
  // Ticking the box again brings back the window just unticked, not the defaults.
  const [lastOn, setLastOn] = useState(value ?? DEFAULT_QUIET_HOURS);
  if (value !== null && value !== lastOn) setLastOn(value);

  return (
    <div className="quiet-hours-input">
      <span className="step-forms__check">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={value !== null}
          disabled={disabled}
          aria-describedby={hintRef}
          onChange={(event) => onChange(event.target.checked ? lastOn : null)}
        />
        <label htmlFor={`${id}-on`}>{label}</label>
      </span>
      {value !== null ? (
        <div className="step-forms__row">
          <div className="step-forms__field">
            <label htmlFor={`${id}-start`}>{t("step-forms.quiet-hours.from")}</label>
            <input
              id={`${id}-start`}
              type="time"
              value={value.start}
              disabled={disabled}
              aria-describedby={hintRef}
              onChange={(event) => onChange({ ...value, start: event.target.value })}
            />
          </div>
          <div className="step-forms__field">
            <label htmlFor={`${id}-end`}>{t("step-forms.quiet-hours.until")}</label>
            <input
              id={`${id}-end`}
              type="time"
              value={value.end}
              disabled={disabled}
              aria-describedby={hintRef}
              onChange={(event) => onChange({ ...value, end: event.target.value })}
            />
          </div>
          <TimeZoneInput
            id={`${id}-zone`}
            value={value.timezone}
            disabled={disabled}
            onChange={(timezone) => onChange({ ...value, timezone })}
          />
        </div>
      ) : null}
      <FieldHint id={hintId} hint={hint} problems={problems} />
    </div>
  );
}
