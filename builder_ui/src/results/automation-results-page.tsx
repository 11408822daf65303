/**
 * `/automations/:automationId/results`: what one automation earned over a period: its key
 * figures, the live flow with each step's results as badges, the per-step funnel, the A/B
 * and holdout answers, and each published version's figures.
 */
import { useMemo } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import type { Catalog, Definition } from "../definition/definition";
import { statsBadges, type StepBadge, type StepStats } from "../flow-editor/canvas-context";
import { findStep } from "../flow-editor/edit-definition";
import { FlowCanvas } from "../flow-editor/flow-canvas";
import { stepSummary } from "../flow-editor/step-summary";
import type { Translate } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { loadAutomationResults, periodLabel, type AutomationResults, type StepFigures } from "./analytics";
import { AutomationTabs } from "./automation-tabs";
import { DailyChart } from "./daily-chart";
import { AbTestPanel, HoldoutPanel } from "./experiment-panels";
import { EmailFunnel, KeyFigures } from "./figures";
import { PeriodPicker, usePeriod } from "./period-picker";
import { useFormat } from "./use-format";
import "../flow-editor/flow-editor.css";
import "./results.css";

const NO_CATALOG: Catalog = { actions: [], step_types: [], triggers: [], events: [], operators: [], field_roots: [], fields: [], templates: [] };

/** Each step's badges: its rows (one per A/B variant) added up. */
export function statsByStep(steps: readonly StepFigures[]): Map<string, StepStats> {
  const stats = new Map<string, StepStats>();
  for (const row of steps) {
    const seen = stats.get(row.step_id) ?? { sent: 0, clicked: 0, recovered: 0 };
    stats.set(row.step_id, { sent: seen.sent + row.sent, clicked: seen.clicked + row.clicked, recovered: seen.recovered + row.recovered });
  }
  return stats;
}

const NOTHING = () => {};

export function AutomationResultsPage() {
  const { t } = useFormat();
  const { automationId = "" } = useParams();
  const { api, can } = useSession();
  const readsCatalog = can("read_catalog");
  const [period, setPeriod] = usePeriod();
  const key = JSON.stringify(period);

  const flow = useApiData(
    async (signal) => {
      const [automation, catalog] = await Promise.all([
        unwrap(api.GET("/api/v1/automations/{automation_id}", { params: { path: { automation_id: automationId } }, signal })),
        readsCatalog ? unwrap(api.GET("/api/v1/catalog", { signal })) : Promise.resolve(NO_CATALOG),
      ]);
      return { automation, catalog };
    },
    [api, automationId, readsCatalog],
  );
  const results = useApiData((signal) => loadAutomationResults(api, automationId, period, signal), [api, automationId, key]);

  const name = flow.state.kind === "loaded" ? flow.state.data.automation.name : results.state.kind === "loaded" ? results.state.data.name : t("results.page.automation");
  return (
    <div className="results">
      <header className="results__header">
        <div className="flow-editor__title">
          <Link to="/automations" className="flow-editor__back">
            {t("results.page.back")}
          </Link>
          <h1>{t("results.page.title", { name })}</h1>
        </div>
        <PeriodPicker key={key} period={period} onChange={setPeriod} />
      </header>
      <AutomationTabs automationId={automationId} />
      {results.state.kind === "loading" ? <Loading what={t("results.page.loading")} /> : null}
      {results.state.kind === "error" ? <ErrorNotice error={results.state.error} onRetry={results.reload} /> : null}
      {results.state.kind === "loaded" ? (
        <Figures
          results={results.state.data}
          periodText={periodLabel(period, t)}
          definition={flow.state.kind === "loaded" ? (flow.state.data.automation.definition as Definition) : null}
          catalog={flow.state.kind === "loaded" ? flow.state.data.catalog : NO_CATALOG}
        />
      ) : null}
      {flow.state.kind === "error" ? <ErrorNotice error={flow.state.error} onRetry={flow.reload} /> : null}
    </div>
  );
}

function Figures({ results, periodText, definition, catalog }: { results: AutomationResults; periodText: string; definition: Definition | null; catalog: Catalog }) {
  const { t } = useFormat();
  const badges = useMemo(
    () => new Map<string, StepBadge[]>([...statsByStep(results.steps)].map(([step, stats]) => [step, statsBadges(stats, t)])),
    [results.steps, t],
  );
  return (
    <>
      <p className="hint" role="status">
        {t("results.page.period", { from: results.from, to: results.to, period: periodText })}
      </p>
      <KeyFigures totals={results.totals} />
      {definition ? (
        <section className="results-card" aria-labelledby="flow-heading">
          <h2 id="flow-heading">{t("results.flow.title")}</h2>
          <p className="hint">{t("results.flow.hint")}</p>
          <div className="results-canvas">
            <FlowCanvas
              definition={definition}
              catalog={catalog}
              problems={[]}
              selectedId={null}
              readOnly
              onSelect={NOTHING}
              onInsert={NOTHING}
              stepBadges={badges}
            />
          </div>
        </section>
      ) : null}
      <StepsTable steps={results.steps} definition={definition} catalog={catalog} />
      {results.ab_tests.length > 0 ? (
        <section aria-labelledby="ab-heading" className="results__experiments">
          <h2 id="ab-heading">{t("results.ab.title")}</h2>
          {results.ab_tests.map((test) => (
            <AbTestPanel key={test.step_id} test={test} />
          ))}
        </section>
      ) : null}
      {results.holdout ? <HoldoutPanel holdout={results.holdout} /> : null}
      <VersionsTable versions={results.versions} />
      <div className="results__grid">
        <EmailFunnel emails={results.totals.emails} />
        <DailyChart daily={results.daily} />
      </div>
    </>
  );
}

function stepName(stepId: string, definition: Definition | null, catalog: Catalog, t: Translate): string {
  const found = definition ? findStep(definition.steps, stepId) : undefined;
  return found ? stepSummary(found.step, catalog, t) : "";
}

function StepsTable({ steps, definition, catalog }: { steps: readonly StepFigures[]; definition: Definition | null; catalog: Catalog }) {
  const { t, count } = useFormat();
  return (
    <section className="results-card" aria-labelledby="steps-heading">
      <h2 id="steps-heading">{t("results.steps.title")}</h2>
      {steps.length === 0 ? (
        <p className="hint">{t("results.steps.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="results-table">
            <caption className="visually-hidden">{t("results.steps.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("results.steps.step")}</th>
                <th scope="col">{t("results.steps.variant")}</th>
                <th scope="col" className="number">{t("results.sent")}</th>
                <th scope="col" className="number">{t("results.delivered")}</th>
                <th scope="col" className="number">{t("results.opened")}</th>
                <th scope="col" className="number">{t("results.clicked")}</th>
                <th scope="col" className="number">{t("results.recovered")}</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((row) => (
                <tr key={`${row.step_id}/${row.variant ?? ""}`}>
                  <th scope="row">
                    <code>{row.step_id}</code> {stepName(row.step_id, definition, catalog, t)}
                  </th>
                  <td>{row.variant ?? "—"}</td>
                  <td className="number">{count(row.sent)}</td>
                  <td className="number">{count(row.delivered)}</td>
                  <td className="number">{count(row.opened)}</td>
                  <td className="number">{count(row.clicked)}</td>
                  <td className="number">{count(row.recovered)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function VersionsTable({ versions }: { versions: AutomationResults["versions"] }) {
  const { t, count, rate } = useFormat();
  return (
    <section className="results-card" aria-labelledby="versions-heading">
      <h2 id="versions-heading">{t("results.versions.title")}</h2>
      {versions.length === 0 ? (
        <p className="hint">{t("results.versions.none")}</p>
      ) : (
        <table className="results-table">
          <caption className="visually-hidden">{t("results.versions.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("results.versions.version")}</th>
              <th scope="col" className="number">{t("results.entered")}</th>
              <th scope="col" className="number">{t("results.sent")}</th>
              <th scope="col" className="number">{t("results.recovered")}</th>
              <th scope="col" className="number">{t("results.recovery-rate")}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((row) => (
              <tr key={row.version}>
                <th scope="row">{t("results.versions.row", { version: String(row.version) })}</th>
                <td className="number">{count(row.entered)}</td>
                <td className="number">{count(row.sent)}</td>
                <td className="number">{count(row.recovered)}</td>
                <td className="number">{rate(row.recovery_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
