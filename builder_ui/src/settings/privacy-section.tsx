/**
 * The rest of "Data and privacy" (admins), below the retention periods: the purge's latest
 * runs with a "Purge now", and the data requests shop platforms forwarded (Shopify's
 * `customers/data_request`), each answered with the customer's export.
 */
import { useState } from "react";
import { unwrap } from "../api/client";
import {
  describePurge,
  downloadExport,
  type DataRequest,
  type RetentionRun,
} from "../customers/customer-data";
import { formatWhen } from "../i18n/format";
import type { MessageKey } from "../i18n/catalogue";
import { useLanguage, useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { rich } from "../i18n/rich-text";

const RUNS_SHOWN = 10;

const STATUS: Record<string, { text: MessageKey; badge: string }> = {
  running: { text: "settings.purge.running", badge: "badge" },
  done: { text: "settings.purge.done", badge: "badge badge--active" },
  failed: { text: "settings.purge.failedStatus", badge: "badge badge--inactive" },
};

export function RetentionRuns() {
  const { api, can } = useSession();
  const t = useT();
  const { state, reload } = useApiData(
    (signal) =>
      unwrap(api.GET("/api/v1/privacy/retention-runs", { params: { query: { limit: RUNS_SHOWN } }, signal })),
    [api],
  );
  const [purging, setPurging] = useState(false);
  const [outcome, setOutcome] = useState<{ run: RetentionRun } | { error: Error } | null>(null);

  async function purgeNow() {
    setPurging(true);
    setOutcome(null);
    try {
      const run = await unwrap(api.POST("/api/v1/privacy/retention-runs"));
      setOutcome({ run });
      reload();
    } catch (error) {
      setOutcome({ error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      setPurging(false);
    }
  }

  return (
    <div className="privacy-part" role="region" aria-labelledby="purge-runs-heading">
      <div className="privacy-part__head">
        <h3 id="purge-runs-heading">{t("settings.purge.title")}</h3>
        {can("manage_settings") ? (
          <button type="button" onClick={() => void purgeNow()} disabled={purging}>
            {purging ? t("settings.purge.purging") : t("settings.purge.now")}
          </button>
        ) : null}
      </div>
      <p className="hint">{t("settings.purge.hint")}</p>
      {outcome !== null && "error" in outcome ? <ErrorNotice error={outcome.error} /> : null}
      {outcome !== null && "run" in outcome ? (
        <p className="notice" role="status">
          {outcome.run.status === "failed"
            ? t("settings.purge.failed", { reason: outcome.run.error ?? t("settings.purge.noReason") })
            : t(outcome.run.status === "done" ? "settings.purge.finished" : "settings.purge.started", {
                counts: describePurge(t, outcome.run.counts),
              })}
        </p>
      ) : null}
      {state.kind === "loading" ? <Loading what={t("settings.purge.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.runs.length === 0 ? (
          <EmptyState title={t("settings.purge.noneTitle")}>
            <p>{t("settings.purge.noneBody")}</p>
          </EmptyState>
        ) : (
          <RunsTable runs={state.data.runs} />
        )
      ) : null}
    </div>
  );
}

function RunsTable({ runs }: { runs: readonly RetentionRun[] }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <div className="table-wrap">
      <table className="settings-table">
        <caption className="visually-hidden">{t("settings.purge.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("settings.purge.started_at")}</th>
            <th scope="col">{t("settings.purge.status")}</th>
            <th scope="col">{t("settings.purge.what")}</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const known = Object.hasOwn(STATUS, run.status) ? STATUS[run.status] : undefined;
            const status = known ? { text: t(known.text), badge: known.badge } : { text: run.status, badge: "badge" };
            return (
              <tr key={run.id}>
                <th scope="row">{formatWhen(run.started_at, language)}</th>
                <td>
                  <span className={status.badge}>{status.text}</span>
                </td>
                <td>
                  {run.status === "failed"
                    ? t("settings.purge.stopped", { reason: run.error ?? t("settings.purge.noReason") })
                    : null}
                  {run.status === "running" ? t("settings.purge.stillRunning") : null}
                  {describePurge(t, run.counts)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function DataRequests() {
  const { api } = useSession();
  const t = useT();
  const { language } = useLanguage();
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/privacy/data-requests", { signal })),
    [api],
  );
  const [exporting, setExporting] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ email: string; error: Error } | null>(null);

  async function exportFor(request: DataRequest) {
    setExporting(request.id);
    setFailure(null);
    try {
      await downloadExport(api, request.email);
      reload(); // the request now shows when it was exported
    } catch (error) {
      setFailure({ email: request.email, error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      setExporting(null);
    }
  }

  return (
    <div className="privacy-part" role="region" aria-labelledby="data-requests-heading">
      <h3 id="data-requests-heading">{t("settings.requests.title")}</h3>
      <p className="hint">{rich(t("settings.requests.hint"), { topic: <code>customers/data_request</code> })}</p>
      {failure !== null ? (
        <ErrorNotice
          error={t("settings.requests.exportFailed", { email: failure.email, error: failure.error.message })}
        />
      ) : null}
      {state.kind === "loading" ? <Loading what={t("settings.requests.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.requests.length === 0 ? (
          <EmptyState title={t("settings.requests.noneTitle")}>
            <p>{t("settings.requests.noneBody")}</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="settings-table">
              <caption className="visually-hidden">{t("settings.requests.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("settings.requests.customer")}</th>
                  <th scope="col">{t("settings.requests.from")}</th>
                  <th scope="col">{t("settings.requests.received")}</th>
                  <th scope="col">{t("settings.requests.exported")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("settings.requests.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.data.requests.map((request) => (
                  <tr key={request.id}>
                    <th scope="row">
                      {request.email}
                      {request.orders.length > 0 ? (
                        <span className="privacy-part__sub">
                          {t("settings.requests.orders", {
                            count: request.orders.length,
                            orders: request.orders.join(t("settings.list.separator")),
                          })}
                        </span>
                      ) : null}
                    </th>
                    <td>{platformName(request.platform)}</td>
                    <td>{formatWhen(request.received_at, language)}</td>
                    <td>{request.exported_at ? formatWhen(request.exported_at, language) : t("settings.requests.notYet")}</td>
                    <td className="settings-table__actions">
                      <button
                        type="button"
                        className="button--secondary button--small"
                        aria-label={t("settings.requests.exportOf", { email: request.email })}
                        disabled={exporting !== null}
                        onClick={() => void exportFor(request)}
                      >
                        {exporting === request.id ? t("settings.requests.exporting") : t("settings.requests.export")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
    </div>
  );
}

function platformName(platform: string): string {
  return platform === "shopify" ? "Shopify" : platform === "woocommerce" ? "WooCommerce" : platform;
}
