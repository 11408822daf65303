/** The A/B and holdout answers of an automation: figures, intervals and the verdict in words. */
import { formatCount, formatRate, type AbTest, type Holdout } from "./analytics";

/** `0.873` (or already `87.3`) → "87 %"; none yet → "—". */
export function formatProbability(probability: number | null): string {
  if (probability === null) return "—";
  const percent = probability <= 1 ? probability * 100 : probability;
  return `${Math.round(percent)} %`;
}

function signed(points: number): string {
  const sign = points > 0 ? "+" : points < 0 ? "−" : "±";
  return `${sign}${Math.abs(points).toFixed(1)}`;
}

/** A lift in percentage points, signed: "+4.2 points". */
export function formatLift(points: number): string {
  return `${signed(points)} points`;
}

const NOT_ENOUGH = "Not enough data yet.";

function Verdict({ text, waiting }: { text: string; waiting: boolean }) {
  return <p className={`verdict${waiting ? " verdict--waiting" : ""}`}>{text === "" ? NOT_ENOUGH : text}</p>;
}

export function AbTestPanel({ test }: { test: AbTest }) {
  const waiting = test.winner === null;
  const headingId = `ab-${test.step_id}`;
  return (
    <section className="results-card" aria-labelledby={headingId}>
      <h3 id={headingId}>A/B split {test.step_id}</h3>
      <Verdict text={test.verdict} waiting={waiting} />
      <div className="table-wrap">
        <table className="results-table">
          <caption className="visually-hidden">Variants of {test.step_id}</caption>
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" className="number">Entered</th>
              <th scope="col" className="number">Sent</th>
              <th scope="col" className="number">Clicked</th>
              <th scope="col" className="number">Recovered</th>
              <th scope="col" className="number">Recovery rate</th>
              <th scope="col" className="number">Probability best</th>
            </tr>
          </thead>
          <tbody>
            {test.variants.map((variant) => (
              <tr key={variant.name}>
                <th scope="row">
                  {variant.name}
                  {variant.name === test.winner ? <span className="badge badge--active"> best</span> : null}
                </th>
                <td className="number">{formatCount(variant.entered)}</td>
                <td className="number">{formatCount(variant.sent)}</td>
                <td className="number">{formatCount(variant.clicked)}</td>
                <td className="number">{formatCount(variant.recovered)}</td>
                <td className="number">{formatRate(variant.recovery_rate)}</td>
                <td className="number">{formatProbability(variant.probability_best)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        Probability best: how likely each variant is to have the highest recovery rate, given what was seen so far.
        No winner is named below the minimum number of carts per variant.
      </p>
    </section>
  );
}

export function HoldoutPanel({ holdout }: { holdout: Holdout }) {
  const [low, high] = holdout.interval ?? [];
  return (
    <section className="results-card" aria-labelledby="holdout-heading">
      <h2 id="holdout-heading">Holdout: what the automation adds</h2>
      <Verdict text={holdout.enough_data ? holdout.verdict : NOT_ENOUGH} waiting={!holdout.enough_data} />
      {!holdout.enough_data && holdout.verdict !== "" && !holdout.verdict.startsWith(NOT_ENOUGH.slice(0, -1)) ? (
        <p className="hint">{holdout.verdict}</p>
      ) : null}
      <table className="results-table">
        <caption className="visually-hidden">Treated and held-out carts</caption>
        <thead>
          <tr>
            <th scope="col">Carts</th>
            <th scope="col" className="number">Count</th>
            <th scope="col" className="number">Recovered</th>
            <th scope="col" className="number">Recovery rate</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Treated (got the emails)</th>
            <td className="number">{formatCount(holdout.treated.carts)}</td>
            <td className="number">{formatCount(holdout.treated.recovered)}</td>
            <td className="number">{formatRate(holdout.treated.rate)}</td>
          </tr>
          <tr>
            <th scope="row">Held out ({holdout.percent} %, no emails)</th>
            <td className="number">{formatCount(holdout.held_out.carts)}</td>
            <td className="number">{formatCount(holdout.held_out.recovered)}</td>
            <td className="number">{formatRate(holdout.held_out.rate)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        Lift:{" "}
        <strong>{holdout.lift === null ? "—" : formatLift(holdout.lift)}</strong>
        {low !== undefined && high !== undefined ? ` (95 % interval ${signed(low)} to ${formatLift(high)})` : ""}
      </p>
      <p className="hint">
        The lift is the treated carts' recovery rate minus the held-out carts'; when its interval includes zero, the
        difference may be chance.
      </p>
    </section>
  );
}
