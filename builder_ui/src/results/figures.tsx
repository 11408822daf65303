/** The figures the dashboard and an automation's Results tab share: key numbers and the email funnel. */
import { ConvertedTotal } from "../money/converted-total";
import { formatCount, formatMoney, formatRate, type EmailFigures, type Totals } from "./analytics";

/** Recovered revenue, one line per currency: amounts in different currencies are never added. */
export function RevenueFigure({ revenue }: { revenue: Totals["revenue"] }) {
  if (revenue.length === 0) return <span className="figure__value">None yet</span>;
  return (
    <ul className="figure__money" aria-label="Recovered revenue by currency">
      {revenue.map((money) => (
        <li key={money.currency} className="figure__value">
          {formatMoney(money)}
        </li>
      ))}
    </ul>
  );
}

export function KeyFigures({ totals }: { totals: Totals }) {
  return (
    <dl className="figures">
      <div className="figure figure--wide">
        <dt>Recovered revenue</dt>
        <dd>
          <RevenueFigure revenue={totals.revenue} />
          <ConvertedTotal total={totals.revenue_converted} />
        </dd>
      </div>
      <div className="figure">
        <dt>Recovery rate</dt>
        <dd>
          <span className="figure__value">{formatRate(totals.recovery_rate)}</span>
          <span className="figure__detail">
            {formatCount(totals.carts_recovered)} of {formatCount(totals.carts_abandoned)} abandoned carts recovered
          </span>
        </dd>
      </div>
      <div className="figure">
        <dt>Abandonment rate</dt>
        <dd>
          <span className="figure__value">{formatRate(totals.abandonment_rate)}</span>
          <span className="figure__detail">
            {formatCount(totals.carts_abandoned)} carts abandoned, {formatCount(totals.carts_contactable)} contactable,{" "}
            {formatCount(totals.carts_entered)} entered a journey
          </span>
        </dd>
      </div>
      <div className="figure">
        <dt>Median time to recovery</dt>
        <dd>
          <span className="figure__value">{totals.median_time_to_recovery ?? "—"}</span>
          <span className="figure__detail">from abandonment to the order</span>
        </dd>
      </div>
    </dl>
  );
}

/** Sent → delivered → opened → clicked, each against the one before; proxy opens apart. */
export function EmailFunnel({ emails, headingLevel = 2 }: { emails: EmailFigures; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const stages = [
    { label: "Sent", count: emails.sent, rate: null, of: "" },
    { label: "Delivered", count: emails.delivered, rate: emails.delivery_rate, of: "of sent" },
    { label: "Opened", count: emails.opened, rate: emails.open_rate, of: "of delivered" },
    { label: "Clicked", count: emails.clicked, rate: emails.click_rate, of: "of delivered" },
  ];
  const widest = Math.max(emails.sent, 1);
  return (
    <section className="results-card" aria-labelledby="email-funnel-heading">
      <Heading id="email-funnel-heading">Email funnel</Heading>
      <table className="funnel">
        <caption className="visually-hidden">Emails sent, delivered, opened and clicked</caption>
        <thead>
          <tr>
            <th scope="col">Stage</th>
            <th scope="col" className="number">Emails</th>
            <th scope="col" className="number">Rate</th>
            <th scope="col">
              <span className="visually-hidden">Bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {stages.map((stage) => (
            <tr key={stage.label}>
              <th scope="row">{stage.label}</th>
              <td className="number">{formatCount(stage.count)}</td>
              <td className="number">{stage.rate === null ? "" : `${formatRate(stage.rate)} ${stage.of}`}</td>
              <td className="funnel__bar-cell" aria-hidden="true">
                <span className="funnel__bar" style={{ width: `${(100 * stage.count) / widest}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="funnel__proxy">
        <strong>Proxy opens: {formatCount(emails.proxy_opened)}</strong>, not counted as opened. Apple Mail's privacy
        protection and similar services load every email's images whether or not anyone reads it, so these opens say
        nothing about a reader.
      </p>
      <p className="hint">
        Bounced {formatCount(emails.bounced)} ({formatRate(emails.bounce_rate)}) · unsubscribed{" "}
        {formatCount(emails.unsubscribed)} ({formatRate(emails.unsubscribe_rate)})
      </p>
    </section>
  );
}
