/**
 * The period the results cover, kept in the URL (`?days=7`, `?from=…&to=…`) so a link or a
 * reload shows the same figures. Presets change at once; two dates apply with "Show".
 */
import { useId, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { PRESET_DAYS, periodDates, periodFromSearch, searchWithPeriod, type Period } from "./analytics";

export function usePeriod(): [Period, (period: Period) => void] {
  const [search, setSearch] = useSearchParams();
  const period = periodFromSearch(search);
  return [period, (next) => setSearch(searchWithPeriod(search, next))];
}

const BETWEEN = "between";

export function PeriodPicker({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const selectId = useId();
  const dates = periodDates(period);
  const [choice, setChoice] = useState<string>(period.kind === "last" ? String(period.days) : BETWEEN);
  const [from, setFrom] = useState(dates.from);
  const [to, setTo] = useState(dates.to);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = (value: string) => {
    setChoice(value);
    setProblem(null);
    const days = PRESET_DAYS.find((n) => String(n) === value);
    if (days !== undefined) onChange({ kind: "last", days });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (from === "" || to === "") setProblem("Give both dates.");
    else if (from > to) setProblem("The first date must come before the second.");
    else {
      setProblem(null);
      onChange({ kind: "between", from, to });
    }
  };

  return (
    <form className="period-picker" aria-label="Results period" onSubmit={apply}>
      {/* Not wrapped in its label: the options' text would join the select's name. */}
      <div className="period-picker__field">
        <label htmlFor={selectId}>Period</label>
        <select id={selectId} value={choice} onChange={(event) => choose(event.target.value)}>
          {PRESET_DAYS.map((days) => (
            <option key={days} value={String(days)}>
              Last {days} days
            </option>
          ))}
          <option value={BETWEEN}>Between two dates</option>
        </select>
      </div>
      {choice === BETWEEN ? (
        <>
          <label>
            From
            <input type="date" value={from} max={to || undefined} onChange={(event) => setFrom(event.target.value)} required />
          </label>
          <label>
            To
            <input type="date" value={to} min={from || undefined} onChange={(event) => setTo(event.target.value)} required />
          </label>
          <button type="submit">Show</button>
          {problem ? (
            <span className="period-picker__problem" role="alert">
              {problem}
            </span>
          ) : null}
        </>
      ) : null}
    </form>
  );
}
