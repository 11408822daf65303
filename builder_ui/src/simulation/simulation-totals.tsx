/** A finished simulation's totals: who would enter, what would be sent, what goes wrong. */
import { useLanguage, useT } from "../i18n/i18n";
import { formatWhen } from "../journeys/journey-format";
import { formatCount, moneyList } from "../results/analytics";
import { rich } from "../i18n/rich-text";
import { notEnteredReason, outcomeWords, type SimulationDifference, type SimulationTotals } from "./simulation-api";

function counts(values: Record<string, number> | undefined): [string, number][] {
  return Object.entries(values ?? {}).sort(([, a], [, b]) => b - a);
}

/** The warning that matters most: emails after the customer bought or said stop. */
export function LateSendsWarning({ totals }: { totals: SimulationTotals }) {
  const t = useT();
  const { language } = useLanguage();
  if (totals.late_sends === 0) return null;
  const examples = totals.late_send_examples ?? [];
  return (
    <div className="notice notice--error simulation__warning" role="alert">
      <p>
        <strong>{t("simulation.late.title", { emails: t("simulation.count.emails", { count: totals.late_sends }) })}</strong>{" "}
        {t("simulation.late.check")}
      </p>
      {examples.length > 0 ? (
        <ul aria-label={t("simulation.late.examples")}>
          {examples.map((late) => (
            <li key={`${late.cart_id}/${late.step_id}/${late.at}`}>
              {rich(
                t(
                  late.after === "unsubscribed"
                    ? "simulation.late.unsubscribed"
                    : late.after === "recovered"
                      ? "simulation.late.recovered"
                      : "simulation.late.bought",
                  { at: formatWhen(late.at, language), happened: formatWhen(late.happened_at, language) },
                ),
                { cart: <code>{late.cart_id}</code>, step: <code>{late.step_id}</code> },
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function SimulationTotalsView({ totals }: { totals: SimulationTotals }) {
  const t = useT();
  const { language } = useLanguage();
  const count = (n: number) => formatCount(n, language);
  const notEntered = counts(totals.not_entered);
  const outcomes = counts(totals.outcomes);
  const failures = totals.failure_examples ?? [];
  return (
    <>
      <LateSendsWarning totals={totals} />
      <dl className="simulation__figures">
        <div>
          <dt>{t("simulation.totals.entering")}</dt>
          <dd>
            {t("simulation.totals.entering-value", { entered: count(totals.entered), carts: count(totals.carts) })}
          </dd>
        </div>
        <div>
          <dt>{t("simulation.totals.not-entering")}</dt>
          <dd>
            {notEntered.length === 0 ? (
              t("simulation.totals.none")
            ) : (
              <ul className="simulation__counts">
                {notEntered.map(([reason, n]) => (
                  <li key={reason}>
                    {t("simulation.totals.count", { count: count(n), what: notEnteredReason(t, reason) })}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("simulation.totals.held-out")}</dt>
          <dd>{count(totals.held_out)}</dd>
        </div>
        <div>
          <dt>{t("simulation.totals.emails")}</dt>
          <dd>{count(totals.emails)}</dd>
        </div>
        <div>
          <dt>{t("simulation.totals.codes")}</dt>
          <dd>
            {count(totals.codes)}
            {totals.codes > 0 ? (
              <span className="simulation__detail">
                {t("simulation.totals.codes-worth", { amount: moneyList(totals.code_value ?? [], t, language) })}
              </span>
            ) : null}
          </dd>
        </div>
        {totals.webhooks > 0 ? (
          <div>
            <dt>{t("simulation.totals.webhooks")}</dt>
            <dd>{count(totals.webhooks)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("simulation.totals.outcomes")}</dt>
          <dd>
            {outcomes.length === 0 ? (
              t("simulation.totals.none")
            ) : (
              <ul className="simulation__counts">
                {outcomes.map(([outcome, n]) => (
                  <li key={outcome}>
                    {t("simulation.totals.count", { count: count(n), what: outcomeWords(t, outcome) })}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>{t("simulation.totals.failures")}</dt>
          <dd>{count(totals.failures)}</dd>
        </div>
      </dl>
      {failures.length > 0 ? (
        <div className="notice notice--error simulation__failures">
          <p>
            {rich(t("simulation.failures.example"), {
              title: <strong>{t("simulation.failures.title", { actions: t("simulation.count.actions", { count: totals.failures }) })}</strong>,
            })}
          </p>
          <ul aria-label={t("simulation.failures.list")}>
            {failures.map((failed, index) => (
              <li key={`${index}-${failed.cart_id}`}>
                {rich(t("simulation.failures.item"), {
                  step: <code>{failed.step_id}</code>,
                  cart: <code>{failed.cart_id}</code>,
                  error: failed.error,
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

/** The API words the summary lines itself: they are shown as sent. */
export function DifferenceView({ difference, against }: { difference: SimulationDifference; against: string }) {
  const t = useT();
  return (
    <section className="simulation__difference" aria-labelledby="simulation-difference-title">
      <h3 id="simulation-difference-title">{t("simulation.difference.title", { against })}</h3>
      {difference.summary.length === 0 ? (
        <p className="hint">{t("simulation.difference.none")}</p>
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
