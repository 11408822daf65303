/** `/dashboard`: what the automations won back over a period, the landing page for marketers and admins. */
import { useSession } from "../session/session";
import { loadOverview, periodLabel } from "../results/analytics";
import { DailyChart } from "../results/daily-chart";
import { EmailFunnel, KeyFigures } from "../results/figures";
import { PeriodPicker, usePeriod } from "../results/period-picker";
import "../results/results.css";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";

export function DashboardPage() {
  const { api } = useSession();
  const [period, setPeriod] = usePeriod();
  const key = JSON.stringify(period);
  const { state, reload } = useApiData((signal) => loadOverview(api, period, signal), [api, key]);

  return (
    <div className="results">
      <header className="results__header">
        <h1>Dashboard</h1>
        <PeriodPicker key={key} period={period} onChange={setPeriod} />
      </header>
      {state.kind === "loading" ? <Loading what="the results" /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        <>
          <p className="hint" role="status">
            All automations, {state.data.from} to {state.data.to} ({periodLabel(period)}).
            {state.refreshing ? " Updating…" : ""}
          </p>
          <KeyFigures totals={state.data} />
          <div className="results__grid">
            <EmailFunnel emails={state.data.emails} />
            <DailyChart daily={state.data.daily} />
          </div>
        </>
      ) : null}
    </div>
  );
}
