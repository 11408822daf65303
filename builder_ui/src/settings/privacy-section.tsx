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
import { formatWhen } from "../journeys/journey-format";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";

const RUNS_SHOWN = 10;

const STATUS: Record<string, { text: string; badge: string }> = {
  running: { text: "Running", badge: "badge" },
  done: { text: "Done", badge: "badge badge--active" },
  failed: { text: "Failed", badge: "badge badge--inactive" },
};

export function RetentionRuns() {
  const { api, can } = useSession();
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
        <h3 id="purge-runs-heading">Purge runs</h3>
        {can("manage_settings") ? (
          <button type="button" onClick={() => void purgeNow()} disabled={purging}>
            {purging ? "Purging…" : "Purge now"}
          </button>
        ) : null}
      </div>
      <p className="hint">The purge runs every hour on its own; Purge now runs it at once with the periods saved above.</p>
      {outcome !== null && "error" in outcome ? <ErrorNotice error={outcome.error} /> : null}
      {outcome !== null && "run" in outcome ? (
        <p className="notice" role="status">
          {outcome.run.status === "failed"
            ? `The purge failed: ${outcome.run.error ?? "no reason given"}.`
            : `Purge ${outcome.run.status === "done" ? "finished" : "started"}. ${describePurge(outcome.run.counts)}`}
        </p>
      ) : null}
      {state.kind === "loading" ? <Loading what="purge runs" /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.runs.length === 0 ? (
          <EmptyState title="No purge has run yet">
            <p>The first runs within the hour after Boomerang starts.</p>
          </EmptyState>
        ) : (
          <RunsTable runs={state.data.runs} />
        )
      ) : null}
    </div>
  );
}

function RunsTable({ runs }: { runs: readonly RetentionRun[] }) {
  return (
    <div className="table-wrap">
      <table className="settings-table">
        <caption className="visually-hidden">Latest purge runs, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">What it did</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const status = STATUS[run.status] ?? { text: run.status, badge: "badge" };
            return (
              <tr key={run.id}>
                <th scope="row">{formatWhen(run.started_at)}</th>
                <td>
                  <span className={status.badge}>{status.text}</span>
                </td>
                <td>
                  {run.status === "failed" ? `Stopped: ${run.error ?? "no reason given"}. ` : null}
                  {run.status === "running" ? "Still running. " : null}
                  {describePurge(run.counts)}
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
      <h3 id="data-requests-heading">Data requests</h3>
      <p className="hint">
        Customers who asked the shop for their data, as the shop platform forwarded it (Shopify's{" "}
        <code>customers/data_request</code>). Export their data and send it to them.
      </p>
      {failure !== null ? (
        <ErrorNotice error={`The export for ${failure.email} did not download: ${failure.error.message}`} />
      ) : null}
      {state.kind === "loading" ? <Loading what="data requests" /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.requests.length === 0 ? (
          <EmptyState title="No data requests">
            <p>None has been forwarded by a shop platform.</p>
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="settings-table">
              <caption className="visually-hidden">Data requests, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Customer</th>
                  <th scope="col">From</th>
                  <th scope="col">Received</th>
                  <th scope="col">Exported</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
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
                          {request.orders.length === 1 ? "order " : "orders "}
                          {request.orders.join(", ")}
                        </span>
                      ) : null}
                    </th>
                    <td>{platformName(request.platform)}</td>
                    <td>{formatWhen(request.received_at)}</td>
                    <td>{request.exported_at ? formatWhen(request.exported_at) : "Not yet"}</td>
                    <td className="settings-table__actions">
                      <button
                        type="button"
                        className="button--secondary button--small"
                        aria-label={`Export the data of ${request.email}`}
                        disabled={exporting !== null}
                        onClick={() => void exportFor(request)}
                      >
                        {exporting === request.id ? "Exporting…" : "Export"}
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
