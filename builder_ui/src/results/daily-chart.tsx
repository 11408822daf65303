/**
 * Carts abandoned and recovered per day, and recovered revenue per day with one line per
 * currency (never added together). The charts are pictures: the same figures are in the table
 * beneath them.
 */
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatCount, formatMoney, type DailyPoint } from "./analytics";

const COLOURS = { abandoned: "#a40e26", recovered: "#116329" };
const CURRENCY_COLOURS = ["#0b5cad", "#8250df", "#9a6700", "#1b7c83"];

function currenciesOf(daily: readonly DailyPoint[]): string[] {
  return [...new Set(daily.flatMap((day) => day.revenue.map((money) => money.currency)))].sort();
}

function amountIn(day: DailyPoint, currency: string): number {
  return Number(day.revenue.find((money) => money.currency === currency)?.amount ?? 0);
}

export function DailyChart({ daily, title = "Over time" }: { daily: readonly DailyPoint[]; title?: string }) {
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
        <p className="hint">No days in this period.</p>
      ) : (
        <>
          <div className="daily-chart" role="img" aria-label={`Carts abandoned and recovered per day; ${formatCount(total)} in all. The table below has each day's figures.`}>
            <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 600, height: 220 }}>
              <LineChart data={rows} accessibilityLayer={false} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#d1d9e0" />
                <XAxis dataKey="date" fontSize={12} />
                <YAxis allowDecimals={false} fontSize={12} width={40} />
                <Tooltip />
                <Legend />
                <Line type="monotone" dataKey="abandoned" name="Abandoned" stroke={COLOURS.abandoned} dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="recovered" name="Recovered" stroke={COLOURS.recovered} dot={false} isAnimationActive={false} />
              </LineChart>
            </ResponsiveContainer>
          </div>
          {currencies.length > 0 ? (
            <div className="daily-chart" role="img" aria-label={`Recovered revenue per day in ${currencies.join(", ")}, one line per currency. The table below has each day's amounts.`}>
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
                      name={`Revenue (${currency})`}
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
            <summary>Each day as a table</summary>
            <div className="table-wrap">
              <table className="results-table">
                <caption className="visually-hidden">{title}: each day's figures</caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col" className="number">Abandoned</th>
                    <th scope="col" className="number">Recovered</th>
                    <th scope="col" className="number">Recovered revenue</th>
                    <th scope="col" className="number">Sent</th>
                    <th scope="col" className="number">Opened</th>
                    <th scope="col" className="number">Clicked</th>
                  </tr>
                </thead>
                <tbody>
                  {daily.map((day) => (
                    <tr key={day.date}>
                      <th scope="row">{day.date}</th>
                      <td className="number">{formatCount(day.abandoned)}</td>
                      <td className="number">{formatCount(day.recovered)}</td>
                      <td className="number">{day.revenue.length === 0 ? "—" : day.revenue.map(formatMoney).join(", ")}</td>
                      <td className="number">{formatCount(day.sent)}</td>
                      <td className="number">{formatCount(day.opened)}</td>
                      <td className="number">{formatCount(day.clicked)}</td>
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
