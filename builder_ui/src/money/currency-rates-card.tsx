/**
 * The shop's currency rates on the settings page (admins): what one unit of each currency is
 * worth in the shop's currency, saved with `PUT /api/v1/settings` (`currency_rates`), which
 * stamps the day they were set. Rules, the VIP segment and the results' converted total use
 * them; without them amounts in other currencies are never converted.
 */
import { useId, useState, type FormEvent } from "react";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useT } from "../i18n/i18n";
import "./money.css";
import { useSession } from "../session/session";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";

type SettingsPublic = Schemas["SettingsPublic"];
type Rates = Schemas["CurrencyRates"];
type Row = { key: number; code: string; rate: string };

export function rowsOf(rates: Rates | null | undefined): Row[] {
  return Object.entries(rates?.rates ?? {}).map(([code, rate], index) => ({ key: index, code, rate: String(rate) }));
}

/** The rows as the API takes them (blank rows left out; codes in capitals). */
export function ratesOf(rows: readonly Row[]): Record<string, string> {
  const rates: Record<string, string> = {};
  for (const row of rows) {
    const code = row.code.trim().toUpperCase();
    if (code !== "" || row.rate.trim() !== "") rates[code] = row.rate.trim();
  }
  return rates;
}

export function CurrencyRatesCard() {
  const { api } = useSession();
  const t = useT();
  const { state, reload } = useApiData((signal) => unwrap(api.GET("/api/v1/settings", { signal })), [api]);
  if (state.kind === "loading") return <Loading what={t("money.rates.loading")} />;
  if (state.kind === "error") return <ErrorNotice error={state.error} onRetry={reload} />;
  return <RatesForm settings={state.data} />;
}

function RatesForm({ settings }: { settings: SettingsPublic }) {
  const { api } = useSession();
  const t = useT();
  const heading = useId();
  const currency = settings.shop_currency;
  const [saved, setSaved] = useState<Rates | null>(settings.shop.currency_rates ?? null);
  const [rows, setRows] = useState<Row[]>(() => rowsOf(saved));
  const [nextKey, setNextKey] = useState(rows.length);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<"saved" | "cleared" | Error | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const dirty = JSON.stringify(ratesOf(rows)) !== JSON.stringify(ratesOf(rowsOf(saved)));

  async function put(rates: Record<string, string> | null) {
    setBusy(true);
    setOutcome(null);
    setErrors({});
    try {
      const body = { currency_rates: rates === null ? null : { rates } };
      const answer = await unwrap(api.PUT("/api/v1/settings", { body }));
      const kept = answer.shop.currency_rates ?? null;
      setSaved(kept);
      setRows(rowsOf(kept));
      setNextKey(Object.keys(kept?.rates ?? {}).length);
      setOutcome(rates === null ? "cleared" : "saved");
    } catch (failure) {
      const problems = failure instanceof ApiError ? failure.problems.filter((p) => p.field.startsWith("currency_rates")) : [];
      // `currency_rates.rates.EUR`: the row of EUR; `currency_rates.rates`: the table.
      setErrors(Object.fromEntries(problems.map((p) => [p.field.split(".")[2] ?? "", p.message])));
      setOutcome(problems.length > 0 ? new Error(t("money.rates.notSaved")) : failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const rates = ratesOf(rows);
    void put(Object.keys(rates).length > 0 ? rates : null);
  }

  const edit = (key: number, patch: Partial<Row>) => {
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...patch } : row)));
    setOutcome(null);
  };
  const tableError = errors[""];

  return (
    <section className="settings-section currency-rates" aria-labelledby={heading}>
      <h2 id={heading}>{t("money.rates.heading")}</h2>
      <p className="hint">{t("money.rates.intro", { currency })}</p>
      <p className="hint" role="note">
        {saved === null
          ? t("money.rates.none")
          : `${t("money.rates.count", { count: Object.keys(saved.rates).length })}. ${t("money.rates.setOn", { date: saved.set_on })}`}
      </p>
      <form onSubmit={save} aria-label={t("money.rates.heading")} noValidate>
        {rows.length > 0 ? (
          <table className="currency-rates__table">
            <thead>
              <tr>
                <th scope="col">{t("money.rates.currency")}</th>
                <th scope="col">{t("money.rates.rate", { currency })}</th>
                <td />
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const code = row.code.trim().toUpperCase() || `#${index + 1}`;
                const error = errors[row.code.trim().toUpperCase()];
                return (
                  <tr key={row.key}>
                    <td>
                      <input
                        type="text"
                        maxLength={3}
                        size={4}
                        placeholder="EUR"
                        aria-label={t("money.rates.codeFor", { count: index + 1 })}
                        value={row.code}
                        disabled={busy}
                        onChange={(event) => edit(row.key, { code: event.target.value.toUpperCase() })}
                      />
                    </td>
                    <td>
                      <input
                        type="text"
                        inputMode="decimal"
                        placeholder="1.08"
                        aria-label={t("money.rates.rateFor", { code })}
                        aria-invalid={error !== undefined}
                        value={row.rate}
                        disabled={busy}
                        onChange={(event) => edit(row.key, { rate: event.target.value })}
                      />
                      {error !== undefined ? (
                        <p className="field-error" role="alert">
                          {error}
                        </p>
                      ) : null}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button--secondary button--small"
                        disabled={busy}
                        onClick={() => setRows((current) => current.filter((r) => r.key !== row.key))}
                      >
                        {t("money.rates.remove", { code })}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : null}
        {tableError !== undefined ? (
          <p className="field-error" role="alert">
            {tableError}
          </p>
        ) : null}
        <div className="settings-actions">
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setRows((current) => [...current, { key: nextKey, code: "", rate: "" }]);
              setNextKey((key) => key + 1);
            }}
          >
            {t("money.rates.add")}
          </button>
          <button type="submit" disabled={busy || !dirty}>
            {busy ? t("money.rates.saving") : t("money.rates.save")}
          </button>
          {saved !== null ? (
            <button type="button" disabled={busy} onClick={() => void put(null)}>
              {t("money.rates.clear")}
            </button>
          ) : null}
          {outcome === "saved" || outcome === "cleared" ? (
            <span className="hint" role="status">
              {t(outcome === "saved" ? "money.rates.saved" : "money.rates.cleared")}
            </span>
          ) : null}
        </div>
        {outcome instanceof Error ? <ErrorNotice error={outcome} /> : null}
      </form>
    </section>
  );
}
