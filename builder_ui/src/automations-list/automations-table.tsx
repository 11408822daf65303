/** The automations as a table: what each is doing and, per role, what may be done to it. */
import { Link } from "react-router";
import type { Schemas } from "../api/client";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
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

const STATUS_LABEL = {
  active: "automations-list.status.active",
  inactive: "automations-list.status.inactive",
  archived: "automations-list.status.archived",
} as const;

function StatusBadge({ status }: { status: string }) {
  const t = useT();
  const label = Object.hasOwn(STATUS_LABEL, status) ? t(STATUS_LABEL[status as keyof typeof STATUS_LABEL]) : status;
  return <span className={`badge badge--${status}`}>{label}</span>;
}

function RunningJourneys({ count, format }: { count: number | null; format: (n: number) => string }) {
  const t = useT();
  if (count !== null) return <>{format(count)}</>;
  // Temporal could not be reached: say so rather than show a misleading 0.
  return (
    <span title={t("automations-list.table.unreachable")}>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">{t("automations-list.table.unknown")}</span>
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

function actionText(action: RowAction, automation: Automation, t: Translate): { text: string; label: string } {
  const name = { name: automation.name };
  switch (action) {
    case "activate":
      return { text: t("automations-list.action.activate"), label: t("automations-list.action.activate-label", name) };
    case "deactivate":
      return automation.status === "active"
        ? { text: t("automations-list.action.deactivate"), label: t("automations-list.action.deactivate-label", name) }
        : { text: t("automations-list.action.stop"), label: t("automations-list.action.stop-label", name) };
    case "duplicate":
      return { text: t("automations-list.action.duplicate"), label: t("automations-list.action.duplicate-label", name) };
    case "archive":
      return { text: t("automations-list.action.archive"), label: t("automations-list.action.archive-label", name) };
  }
}

export function AutomationsTable({ automations, busyId, onAction }: Props) {
  const { can } = useSession();
  const t = useT();
  const { language } = useLanguage();
  const format = new Intl.NumberFormat(language).format;
  return (
    <div className="table-wrap">
      <table className="automations__table">
        <caption className="visually-hidden">{t("automations-list.table.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("automations-list.table.name")}</th>
            <th scope="col">{t("automations-list.table.status")}</th>
            <th scope="col">{t("automations-list.table.version")}</th>
            <th scope="col">{t("automations-list.table.trigger")}</th>
            <th scope="col" className="automations__number">
              {t("automations-list.table.running")}
            </th>
            <th scope="col" className="automations__number">
              {t("automations-list.table.sent")}
            </th>
            <th scope="col" className="automations__number">
              {t("automations-list.table.recoveries")}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t("automations-list.table.actions")}</span>
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
                  {t("automations-list.table.version-number", { version: automation.version })}
                  {automation.draft !== null ? (
                    <span className="badge badge--draft" title={t("automations-list.table.draft-title")}>
                      {t("automations-list.table.draft")}
                    </span>
                  ) : null}
                </td>
                <td>{trigger === null ? "—" : triggerLabel(trigger, t)}</td>
                <td className="automations__number">
                  <RunningJourneys count={automation.running_journeys} format={format} />
                </td>
                <td className="automations__number">{format(automation.emails_sent_30d)}</td>
                <td className="automations__number">{format(automation.recoveries_30d)}</td>
                <td className="automations__actions-cell">
                  <div className="automations__actions">
                    {rowActions(automation, can).map((action) => {
                      const { text, label } = actionText(action, automation, t);
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
