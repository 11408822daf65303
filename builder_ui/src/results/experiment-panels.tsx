/** The A/B and holdout answers of an automation: figures, intervals and the verdict in words. */
import { useT, type Language, type Translate } from "../i18n/i18n";
import { formatDecimal, type AbTest, type Holdout } from "./analytics";
import { useFormat } from "./use-format";

// The API's own verdict when there is too little data: English, whatever the reader's language.
const API_NOT_ENOUGH = "Not enough data yet";

/** `0.873` (or already `87.3`) → "87 %"; none yet → "—". */
export function formatProbability(probability: number | null, t: Translate): string {
  if (probability === null) return "—";
  const percent = probability <= 1 ? probability * 100 : probability;
  return t("results.rate", { rate: Math.round(percent) });
}

function signed(points: number, language: Language): string {
  const sign = points > 0 ? "+" : points < 0 ? "−" : "±";
  return `${sign}${formatDecimal(Math.abs(points), language)}`;
}

/** A lift in percentage points, signed: "+4.2 points". */
export function formatLift(points: number, t: Translate, language: Language): string {
  return t("results.points", { points: signed(points, language) });
}

function Verdict({ text, waiting }: { text: string; waiting: boolean }) {
  const t = useT();
  // The API's verdict, in its words; "not enough data" when it has none to give.
  return <p className={`verdict${waiting ? " verdict--waiting" : ""}`}>{text === "" ? t("results.not-enough") : text}</p>;
}

export function AbTestPanel({ test }: { test: AbTest }) {
  const { t, count, rate } = useFormat();
  const waiting = test.winner === null;
  const headingId = `ab-${test.step_id}`;
  return (
    <section className="results-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("results.ab.split", { step: test.step_id })}</h3>
      <Verdict text={test.verdict} waiting={waiting} />
      <div className="table-wrap">
        <table className="results-table">
          <caption className="visually-hidden">{t("results.ab.caption", { step: test.step_id })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("results.ab.variant")}</th>
              <th scope="col" className="number">{t("results.entered")}</th>
              <th scope="col" className="number">{t("results.sent")}</th>
              <th scope="col" className="number">{t("results.clicked")}</th>
              <th scope="col" className="number">{t("results.recovered")}</th>
              <th scope="col" className="number">{t("results.recovery-rate")}</th>
              <th scope="col" className="number">{t("results.ab.probability")}</th>
            </tr>
          </thead>
          <tbody>
            {test.variants.map((variant) => (
              <tr key={variant.name}>
                <th scope="row">
                  {variant.name}
                  {variant.name === test.winner ? <span className="badge badge--active">{t("results.ab.best")}</span> : null}
                </th>
                <td className="number">{count(variant.entered)}</td>
                <td className="number">{count(variant.sent)}</td>
                <td className="number">{count(variant.clicked)}</td>
                <td className="number">{count(variant.recovered)}</td>
                <td className="number">{rate(variant.recovery_rate)}</td>
                <td className="number">{formatProbability(variant.probability_best, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t("results.ab.explain")}</p>
    </section>
  );
}

export function HoldoutPanel({ holdout }: { holdout: Holdout }) {
  const { t, count, rate, language } = useFormat();
  const [low, high] = holdout.interval ?? [];
  return (
    <section className="results-card" aria-labelledby="holdout-heading">
      <h2 id="holdout-heading">{t("results.holdout.title")}</h2>
      <Verdict text={holdout.enough_data ? holdout.verdict : ""} waiting={!holdout.enough_data} />
      {!holdout.enough_data && holdout.verdict !== "" && !holdout.verdict.startsWith(API_NOT_ENOUGH) ? (
        <p className="hint">{holdout.verdict}</p>
      ) : null}
      <table className="results-table">
        <caption className="visually-hidden">{t("results.holdout.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("results.holdout.carts")}</th>
            <th scope="col" className="number">{t("results.holdout.count")}</th>
            <th scope="col" className="number">{t("results.recovered")}</th>
            <th scope="col" className="number">{t("results.recovery-rate")}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t("results.holdout.treated")}</th>
            <td className="number">{count(holdout.treated.carts)}</td>
            <td className="number">{count(holdout.treated.recovered)}</td>
            <td className="number">{rate(holdout.treated.rate)}</td>
          </tr>
          <tr>
            <th scope="row">{t("results.holdout.held-out", { percent: holdout.percent })}</th>
            <td className="number">{count(holdout.held_out.carts)}</td>
            <td className="number">{count(holdout.held_out.recovered)}</td>
            <td className="number">{rate(holdout.held_out.rate)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        {t("results.holdout.lift")}{" "}
        <strong>{holdout.lift === null ? "—" : formatLift(holdout.lift, t, language)}</strong>
        {low !== undefined && high !== undefined
          ? t("results.holdout.interval", { low: signed(low, language), high: formatLift(high, t, language) })
          : ""}
      </p>
      <p className="hint">{t("results.holdout.explain")}</p>
    </section>
  );
}
