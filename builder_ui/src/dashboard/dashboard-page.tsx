/** `/dashboard`: what the automations won back over a period, the landing page for marketers and admins. */
import { useLanguage, useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { loadOverview, type Period } from "../results/analytics";
import { DailyChart } from "../results/daily-chart";
import { EmailFunnel, KeyFigures } from "../results/figures";
import { PeriodPicker, usePeriod } from "../results/period-picker";
import "../results/results.css";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";

/** An ISO date ("2026-10-01") as the reader's language writes it; anything else as it is. */
function useDay(): (iso: string) => string {
  const { language } = useLanguage();
  const format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: "UTC" });
  return (iso) => {
    const date = new Date(`${iso}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? iso : format.format(date);
  };
}

export function DashboardPage() {
  const { api } = useSession();
  const t = useT();
  const day = useDay();
  const [period, setPeriod] = usePeriod();
  const key = JSON.stringify(period);
  const { state, reload } = useApiData((signal) => loadOverview(api, period, signal), [api, key]);
  const periodText = (shown: Period) =>
    shown.kind === "last"
      ? t("dashboard.period.last", { count: shown.days })
      : t("dashboard.period.between", { from: day(shown.from), to: day(shown.to) });

  return (
    <div className="results">
      <header className="results__header">
        <h1>{t("dashboard.title")}</h1>
        <PeriodPicker key={key} period={period} onChange={setPeriod} />
      </header>
      {state.kind === "loading" ? <Loading what={t("dashboard.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        <>
          <p className="hint" role="status">
            {t("dashboard.summary", { from: day(state.data.from), to: day(state.data.to), period: periodText(period) })}
            {state.refreshing ? ` ${t("dashboard.updating")}` : ""}
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
