/**
 * Carts abandoned and recovered per day, and recovered revenue per day with one line per
 * currency (never added together). The charts are pictures: the same figures are in the table
 * beneath them.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { DailyPoint } from "./analytics";
import { useFormat } from "./use-format";

const COLOURS = { abandoned: "#a40e26", recovered: "#116329" };
const CURRENCY_COLOURS = ["#0b5cad", "#8250df", "#9a6700", "#1b7c83"];

function currenciesOf(daily: readonly DailyPoint[]): string[] {
  return [...new Set(daily.flatMap((day) => day.revenue.map((money) => money.currency)))].sort();
}

function amountIn(day: DailyPoint, currency: string): number {
  return Number(day.revenue.find((money) => money.currency === currency)?.amount ?? 0);
}

/** `title` is "Over time" when left out. */
export function DailyChart({ daily, title: givenTitle }: { daily: readonly DailyPoint[]; title?: string }) {
  const { t, count, money } = useFormat();
  const title = givenTitle ?? t("results.daily.title");
  const currencies = currenciesOf(daily);
  const rows = daily.map((day) => ({
    date: day.date,
    abandoned: day.abandoned,
    recovered: day.recovered,
    ...Object.fromEntries(currencies.map((currency) => [currency, amountIn(day, currency)])),
  }));
  const total = daily.reduce((sum, day) => sum + day.abandoned + day.recovered, 0);
  return (
    <section className="results-card" aria-labelledby="daily-heading">
      <h2 id="daily-heading">{title}</h2>
      {daily.length === 0 ? (
        <p className="hint">{t("results.daily.none")}</p>
      ) : (
        <>
          <div className="daily-chart" role="img" aria-label={t("results.daily.carts-aria", { total: count(total) })}>
            <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 600, height: 220 }}>
              <LineChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#d1d9e0" />
                <XAxis dataKey="date" fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} width={40} />
                <Tooltip />
                <Legend />
                <Line type="monotone" dataKey="abandoned" name={t("results.abandoned")} stroke={COLOURS.abandoned} dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="recovered" name={t("results.recovered")} stroke={COLOURS.recovered} dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          {currencies.length > 0 ? (
            <div className="daily-chart" role="img" aria-label={t("results.daily.revenue-aria", { currencies: currencies.join(t("results.list-separator")) })}>
              <ResponsiveContainer width="100%" height={180} initialDimension={{ width: 600, height: 180 }}>
                <LineChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#d1d9e0" />
                  <XAxis dataKey="date" fontSize={12} />
                  <YAxis fontSize={12} width={56} />
                  <Tooltip />
                  <Legend />
                  {currencies.map((currency, index) => (
                    <Line
                      key={currency}
                      type="monotone"
                      dataKey={currency}
                      name={t("results.daily.revenue-line", { currency })}
                      stroke={CURRENCY_COLOURS[index % CURRENCY_COLOURS.length] ?? "#0b5cad"}
                      dot={false}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
          ) : null}
          <details className="daily-table">
            <summary>{t("results.daily.table")}</summary>
            <div className="table-wrap">
              <table className="results-table">
                <caption className="visually-hidden">{t("results.daily.caption", { title })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("results.daily.date")}</th>
                    <th scope="col" className="number">{t("results.abandoned")}</th>
                    <th scope="col" className="number">{t("results.recovered")}</th>
                    <th scope="col" className="number">{t("results.revenue")}</th>
                    <th scope="col" className="number">{t("results.sent")}</th>
                    <th scope="col" className="number">{t("results.opened")}</th>
                    <th scope="col" className="number">{t("results.clicked")}</th>
                  </tr>
                </thead>
                <tbody>
                  {daily.map((day) => (
                    <tr key={day.date}>
                      <th scope="row">{day.date}</th>
                      <td className="number">{count(day.abandoned)}</td>
                      <td className="number">{count(day.recovered)}</td>
                      <td className="number">{day.revenue.length === 0 ? "—" : day.revenue.map(money).join(t("results.list-separator"))}</td>
                      <td className="number">{count(day.sent)}</td>
                      <td className="number">{count(day.opened)}</td>
                      <td className="number">{count(day.clicked)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
