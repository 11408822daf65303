import { useEffect, useState } from "react";
import { ApiError, listAutomations } from "../api/client";
import type { Automation, AutomationStatus } from "../api/types";

export interface AutomationsListProps {
  token: string;
  /** Called when the API answers 401: the token is no longer accepted. */
  onUnauthorized: () => void;
}

type LoadState =
  | { kind: "loading" }
  | { kind: "error"; message: string }
  | { kind: "loaded"; automations: Automation[] };

const STATUS_LABELS: Record<AutomationStatus, string> = {
  active: "Active",
  inactive: "Inactive",
};

export function stepCountLabel(count: number): string {
  return count === 1 ? "1 step" : `${count} steps`;
}

function StatusBadge({ status }: { status: AutomationStatus }) {
  const label = STATUS_LABELS[status] ?? status;
  return <span className={`badge badge--${status}`}>{label}</span>;
}

export function AutomationsList({ token, onUnauthorized }: AutomationsListProps) {
  const [state, setState] = useState<LoadState>({ kind: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    listAutomations(token, { signal: controller.signal })
      .then((automations) => {
        if (controller.signal.aborted) return;
        setState({ kind: "loaded", automations: Array.isArray(automations) ? automations : [] });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 401) {
          onUnauthorized();
          return;
        }
        const message = error instanceof Error ? error.message : "Something went wrong.";
        setState({ kind: "error", message });
      });
    return () => controller.abort();
  }, [token, onUnauthorized]);

  return (
    <section className="automations" aria-labelledby="automations-heading">
      <h1 id="automations-heading">Automations</h1>
      {state.kind === "loading" ? (
        <p className="notice" role="status">
          Loading automations…
        </p>
      ) : state.kind === "error" ? (
        <p className="notice notice--error" role="alert">
          Could not load automations: {state.message}
        </p>
      ) : state.automations.length === 0 ? (
        <p className="notice">No automations yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="automations__table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Version</th>
                <th scope="col">Steps</th>
                <th scope="col">Trigger</th>
              </tr>
            </thead>
            <tbody>
              {state.automations.map((automation) => (
                <tr key={automation.id}>
                  <th scope="row">{automation.name}</th>
                  <td>
                    <StatusBadge status={automation.status} />
                  </td>
                  <td>v{automation.version}</td>
                  <td>{stepCountLabel(automation.definition?.steps?.length ?? 0)}</td>
                  <td>
                    <code>{automation.definition?.trigger?.event ?? "—"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
