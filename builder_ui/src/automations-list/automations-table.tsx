/** The automations as a table: what each is doing and, per role, what may be done to it. */
import { Link } from "react-router";
import type { Schemas } from "../api/client";
import { useSession } from "../session/session";
import { triggerLabel } from "./starter-definition";

export type Automation = Schemas["AutomationOverview"];
export type RowAction = "activate" | "deactivate" | "duplicate" | "archive";

interface Props {
  automations: readonly Automation[];
  /** The automation whose action is in flight: its buttons wait. */
  busyId: string | null;
  onAction: (action: RowAction, automation: Automation) => void;
}

function triggerOf(automation: Automation): string | null {
  const trigger = automation.definition.trigger;
  if (typeof trigger !== "object" || trigger === null || !("event" in trigger)) return null;
  return typeof trigger.event === "string" ? trigger.event : null;
}

const STATUS_LABEL: Record<string, string> = {
  active: "Active",
  inactive: "Inactive",
  archived: "Archived",
};

function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge--${status}`}>{STATUS_LABEL[status] ?? status}</span>;
}

function RunningJourneys({ count }: { count: number | null }) {
  if (count !== null) return <>{count}</>;
  // Temporal could not be reached: say so rather than show a misleading 0.
  return (
    <span title="Temporal cannot be reached right now">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">unknown</span>
    </span>
  );
}

/** Which actions a row offers: by status, and only those the caller's role may use. */
export function rowActions(automation: Automation, can: (c: "edit_automations" | "deactivate_automations") => boolean): RowAction[] {
  const actions: RowAction[] = [];
  const { status } = automation;
  if (can("edit_automations") && status === "inactive") actions.push("activate");
  // On an inactive one, deactivating again pauses or cancels the journeys still running.
  const stillRunning = (automation.running_journeys ?? 0) > 0;
  if (
    can("deactivate_automations") &&
    (status === "active" || (status === "inactive" && stillRunning))
  ) {
    actions.push("deactivate");
  }
  if (can("edit_automations")) {
    actions.push("duplicate");
    if (status === "inactive") actions.push("archive");
  }
  return actions;
}

function actionText(action: RowAction, automation: Automation): { text: string; label: string } {
  const name = automation.name;
  switch (action) {
    case "activate":
      return { text: "Activate", label: `Activate ${name}` };
    case "deactivate":
      return automation.status === "active"
        ? { text: "Deactivate", label: `Deactivate ${name}` }
        : { text: "Stop journeys", label: `Stop journeys of ${name}` };
    case "duplicate":
      return { text: "Duplicate", label: `Duplicate ${name}` };
    case "archive":
      return { text: "Archive", label: `Archive ${name}` };
  }
}

export function AutomationsTable({ automations, busyId, onAction }: Props) {
  const { can } = useSession();
  return (
    <div className="table-wrap">
      <table className="automations__table">
        <caption className="visually-hidden">Automations</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Version</th>
            <th scope="col">Trigger</th>
            <th scope="col" className="automations__number">
              Running journeys
            </th>
            <th scope="col" className="automations__number">
              Emails sent (30 days)
            </th>
            <th scope="col" className="automations__number">
              Recoveries (30 days)
            </th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {automations.map((automation) => {
            const trigger = triggerOf(automation);
            return (
              <tr key={automation.id}>
                <th scope="row" className="automations__name">
                  <Link to={`/automations/${automation.id}`}>{automation.name}</Link>
                </th>
                <td>
                  <StatusBadge status={automation.status} />
                </td>
                <td>
                  v{automation.version}
                  {automation.draft !== null ? (
                    <span className="badge badge--draft" title="Unpublished changes are saved">
                      draft
                    </span>
                  ) : null}
                </td>
                <td>{trigger === null ? "—" : triggerLabel(trigger)}</td>
                <td className="automations__number">
                  <RunningJourneys count={automation.running_journeys} />
                </td>
                <td className="automations__number">{automation.emails_sent_30d}</td>
                <td className="automations__number">{automation.recoveries_30d}</td>
                <td className="automations__actions-cell">
                  <div className="automations__actions">
                    {rowActions(automation, can).map((action) => {
                      const { text, label } = actionText(action, automation);
                      return (
                        <button
                          key={action}
                          type="button"
                          className={
                            action === "activate" ? "automations__action" : "automations__action button--secondary"
                          }
                          aria-label={label}
                          disabled={busyId === automation.id}
                          onClick={() => onAction(action, automation)}
                        >
                          {text}
                        </button>
                      );
                    })}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
