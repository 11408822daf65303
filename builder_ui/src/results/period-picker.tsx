/**
 * The period the results cover, kept in the URL (`?days=7`, `?from=…&to=…`) so a link or a
 * reload shows the same figures. Presets change at once; two dates apply with "Show".
 */
import { useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import type { MessageKey } from "../i18n/catalogue";
import { useT } from "../i18n/i18n";
import { PRESET_DAYS, periodDates, periodFromSearch, searchWithPeriod, type Period } from "./analytics";

export function usePeriod(): [Period, (period: Period) => void] {
  const [search, setSearch] = useSearchParams();
  const period = periodFromSearch(search);
  return [period, (next) => setSearch(searchWithPeriod(search, next))];
}

const BETWEEN = "between";

export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const t = useT();
  const selectId = useId();
  const dates = periodDates(period);
  const [choice, setChoice] = useState<string>(period.kind === "last" ? String(period.days) : BETWEEN);
  const [from, setFrom] = useState(dates.from);
  const [to, setTo] = useState(dates.to);
  const [problem, setProblem] = useState<MessageKey | null>(null);

  const choose = (value: string) => {
    setChoice(value);
    setProblem(null);
    const days = PRESET_DAYS.find((n) => String(n) === value);
    if (days !== undefined) onChange({ kind: "last", days });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (from === "" || to === "") setProblem("results.period.both-dates");
    else if (from > to) setProblem("results.period.order");
    else {
      setProblem(null);
      onChange({ kind: "between", from, to });
    }
  };

  return (
    <form className="period-picker" aria-label={t("results.period.aria")} onSubmit={apply}>
      {/* Not wrapped in its label: the options' text would join the select's name. */}
      <div className="period-picker__field">
        <label htmlFor={selectId}>{t("results.period.label")}</label>
        <select id={selectId} value={choice} onChange={(event) => choose(event.target.value)}>
          {PRESET_DAYS.map((days) => (
            <option key={days} value={String(days)}>
              {t("results.period.option", { days })}
            </option>
          ))}
          <option value={BETWEEN}>{t("results.period.option-between")}</option>
        </select>
      </div>
      {choice === BETWEEN ? (
        <>
          <label>
            {t("results.period.from")}
            <input type="date" value={from} max={to || undefined} onChange={(event) => setFrom(event.target.value)} required />
          </label>
          <label>
            {t("results.period.to")}
            <input type="date" value={to} min={from || undefined} onChange={(event) => setTo(event.target.value)} required />
          </label>
          <button type="submit">{t("results.period.show")}</button>
          {problem ? (
            <span className="period-picker__problem" role="alert">
              {t(problem)}
            </span>
          ) : null}
        </>
      ) : null}
    </form>
  );
}
