/** A finished simulation's totals: who would enter, what would be sent, what goes wrong. */
import { formatWhen } from "../journeys/journey-format";
import { formatCount, moneyList } from "../results/analytics";
import { plural, words, type SimulationDifference, type SimulationTotals } from "./simulation-api";

function counts(values: Record<string, number> | undefined): [string, number][] {
  return Object.entries(values ?? {}).sort(([, a], [, b]) => b - a);
}

/** The warning that matters most: emails after the customer bought or said stop. */
export function LateSendsWarning({ totals }: { totals: SimulationTotals }) {
  if (totals.late_sends === 0) return null;
  const examples = totals.late_send_examples ?? [];
  return (
    <div className="notice notice--error simulation__warning" role="alert">
      <p>
        <strong>
          {plural(totals.late_sends, "email")} would reach customers after they bought or unsubscribed.
        </strong>{" "}
        Check “Stop the journey when” in the trigger’s settings.
      </p>
      {examples.length > 0 ? (
        <ul aria-label="Emails that would arrive too late">
          {examples.map((late) => (
            <li key={`${late.cart_id}/${late.step_id}/${late.at}`}>
              Cart <code>{late.cart_id}</code>: step <code>{late.step_id}</code> at {formatWhen(late.at)}, after the customer{" "}
              {late.after === "unsubscribed" ? "unsubscribed" : late.after === "recovered" ? "came back to the cart" : "bought"} at{" "}
              {formatWhen(late.happened_at)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SimulationTotalsView({ totals }: { totals: SimulationTotals }) {
  const notEntered = counts(totals.not_entered);
  const outcomes = counts(totals.outcomes);
  const failures = totals.failure_examples ?? [];
  return (
    <>
      <LateSendsWarning totals={totals} />
      <dl className="simulation__figures">
        <div>
          <dt>Carts entering</dt>
          <dd>
            {formatCount(totals.entered)} of {formatCount(totals.carts)}
          </dd>
        </div>
        <div>
          <dt>Not entering</dt>
          <dd>
            {notEntered.length === 0 ? (
              "none"
            ) : (
              <ul className="simulation__counts">
                {notEntered.map(([reason, n]) => (
                  <li key={reason}>
                    {formatCount(n)} {words(reason)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Held out</dt>
          <dd>{formatCount(totals.held_out)}</dd>
        </div>
        <div>
          <dt>Emails</dt>
          <dd>{formatCount(totals.emails)}</dd>
        </div>
        <div>
          <dt>Discount codes</dt>
          <dd>
            {formatCount(totals.codes)}
            {totals.codes > 0 ? <span className="simulation__detail">worth {moneyList(totals.code_value ?? [])}</span> : null}
          </dd>
        </div>
        {totals.webhooks > 0 ? (
          <div>
            <dt>Webhooks</dt>
            <dd>{formatCount(totals.webhooks)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Outcomes</dt>
          <dd>
            {outcomes.length === 0 ? (
              "none"
            ) : (
              <ul className="simulation__counts">
                {outcomes.map(([outcome, n]) => (
                  <li key={outcome}>
                    {formatCount(n)} {words(outcome)}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Failures</dt>
          <dd>{formatCount(totals.failures)}</dd>
        </div>
      </dl>
      {failures.length > 0 ? (
        <div className="notice notice--error simulation__failures">
          <p>
            <strong>{plural(totals.failures, "action")} would fail</strong>, for example:
          </p>
          <ul aria-label="Failed actions">
            {failures.map((failed, index) => (
              <li key={`${index}-${failed.cart_id}`}>
                Step <code>{failed.step_id}</code>, cart <code>{failed.cart_id}</code>: {failed.error}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

export function DifferenceView({ difference, against }: { difference: SimulationDifference; against: string }) {
  return (
    <section className="simulation__difference" aria-labelledby="simulation-difference-title">
      <h3 id="simulation-difference-title">Compared with {against}</h3>
      {difference.summary.length === 0 ? (
        <p className="hint">No difference on these carts.</p>
      ) : (
        <ul>
          {difference.summary.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
