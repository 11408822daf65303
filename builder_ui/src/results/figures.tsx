/** The figures the dashboard and an automation's Results tab share: key numbers and the email funnel. */
import { ConvertedTotal } from "../money/converted-total";
import { rich } from "../i18n/rich-text";
import type { EmailFigures, Totals } from "./analytics";
import { useFormat } from "./use-format";

/** Recovered revenue, one line per currency: amounts in different currencies are never added. */
export function RevenueFigure({ revenue }: { revenue: Totals["revenue"] }) {
  const { t, money: formatMoney } = useFormat();
  if (revenue.length === 0) return <span className="figure__value">{t("results.revenue.none")}</span>;
  return (
    <ul className="figure__money" aria-label={t("results.revenue.aria")}>
      {revenue.map((money) => (
        <li key={money.currency} className="figure__value">
          {formatMoney(money)}
        </li>
      ))}
    </ul>
  );
}

export function KeyFigures({ totals }: { totals: Totals }) {
  const { t, count, rate } = useFormat();
  return (
    <dl className="figures">
      <div className="figure figure--wide">
        <dt>{t("results.revenue")}</dt>
        <dd>
          <RevenueFigure revenue={totals.revenue} />
          <ConvertedTotal total={totals.revenue_converted} />
        </dd>
      </div>
      <div className="figure">
        <dt>{t("results.recovery-rate")}</dt>
        <dd>
          <span className="figure__value">{rate(totals.recovery_rate)}</span>
          <span className="figure__detail">
            {t("results.recovery-detail", { recovered: count(totals.carts_recovered), abandoned: count(totals.carts_abandoned) })}
          </span>
        </dd>
      </div>
      <div className="figure">
        <dt>{t("results.abandonment-rate")}</dt>
        <dd>
          <span className="figure__value">{rate(totals.abandonment_rate)}</span>
          <span className="figure__detail">
            {t("results.abandonment-detail", {
              abandoned: count(totals.carts_abandoned),
              contactable: count(totals.carts_contactable),
              entered: count(totals.carts_entered),
            })}
          </span>
        </dd>
      </div>
      <div className="figure">
        <dt>{t("results.median-time")}</dt>
        <dd>
          <span className="figure__value">{totals.median_time_to_recovery ?? "—"}</span>
          <span className="figure__detail">{t("results.median-time-detail")}</span>
        </dd>
      </div>
    </dl>
  );
}

/** Sent → delivered → opened → clicked, each against the one before; proxy opens apart. */
export function EmailFunnel({ emails, headingLevel = 2 }: { emails: EmailFigures; headingLevel?: 2 | 3 }) {
  const { t, count, rate } = useFormat();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const stages = [
    { label: t("results.sent"), count: emails.sent, rate: null, of: "results.funnel.of-sent" },
    { label: t("results.delivered"), count: emails.delivered, rate: emails.delivery_rate, of: "results.funnel.of-sent" },
    { label: t("results.opened"), count: emails.opened, rate: emails.open_rate, of: "results.funnel.of-delivered" },
    { label: t("results.clicked"), count: emails.clicked, rate: emails.click_rate, of: "results.funnel.of-delivered" },
  ] as const;
  const widest = Math.max(emails.sent, 1);
  return (
    <section className="results-card" aria-labelledby="email-funnel-heading">
      <Heading id="email-funnel-heading">{t("results.funnel.title")}</Heading>
      <table className="funnel">
        <caption className="visually-hidden">{t("results.funnel.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("results.funnel.stage")}</th>
            <th scope="col" className="number">{t("results.funnel.emails")}</th>
            <th scope="col" className="number">{t("results.funnel.rate")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("results.funnel.bar")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {stages.map((stage) => (
            <tr key={stage.label}>
              <th scope="row">{stage.label}</th>
              <td className="number">{count(stage.count)}</td>
              <td className="number">{stage.rate === null ? "" : t(stage.of, { rate: rate(stage.rate) })}</td>
              <td className="funnel__bar-cell" aria-hidden="true">
                <span className="funnel__bar" style={{ width: `${(100 * stage.count) / widest}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="funnel__proxy">
        {rich(t("results.funnel.proxy-explain"), {
          proxy: <strong>{t("results.funnel.proxy", { count: count(emails.proxy_opened) })}</strong>,
        })}
      </p>
      <p className="hint">
        {t("results.funnel.bounces", {
          bounced: count(emails.bounced),
          bounceRate: rate(emails.bounce_rate),
          unsubscribed: count(emails.unsubscribed),
          unsubscribeRate: rate(emails.unsubscribe_rate),
        })}
      </p>
    </section>
  );
}
