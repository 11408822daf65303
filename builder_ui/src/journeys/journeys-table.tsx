/** The journeys a search found, newest first, each linking to its page. */
import { Link } from "react-router";
import type { Schemas } from "../api/client";
import { useLanguage, useT } from "../i18n/i18n";
import { formatWhen, journeyPath, journeyState, journeySubject, stateLabel } from "./journey-format";

type Journey = Schemas["NamedJourney"];

function newestFirst(a: Journey, b: Journey): number {
  return (b.started_at ?? "").localeCompare(a.started_at ?? "");
}

export function JourneysTable({ journeys }: { journeys: readonly Journey[] }) {
  const t = useT();
  const { language } = useLanguage();
  const rows = [...journeys].sort(newestFirst);
  return (
    <div className="table-wrap">
      <table className="journeys__table" aria-label={t("journeys.title")}>
        <thead>
          <tr>
            <th scope="col">{t("journeys.table.cart-or-order")}</th>
            <th scope="col">{t("journeys.table.automation")}</th>
            <th scope="col">{t("journeys.table.version")}</th>
            <th scope="col">{t("journeys.table.status")}</th>
            <th scope="col">{t("journeys.table.current-step")}</th>
            <th scope="col">{t("journeys.table.started")}</th>
            <th scope="col">{t("journeys.table.outcome")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((journey) => (
            <tr key={journey.id}>
              <th scope="row">
                <Link to={journeyPath(journey.id)}>{journeySubject(journey.id)}</Link>
              </th>
              <td>{journey.automation_name ?? journey.automation_id ?? "—"}</td>
              <td>{journey.automation_version === null ? "—" : t("journeys.table.version-number", { version: String(journey.automation_version) })}</td>
              <td>
                <StatusBadge status={journey.status} />
              </td>
              <td>{journey.current_step ? <code>{journey.current_step}</code> : "—"}</td>
              <td>{journey.started_at ? formatWhen(journey.started_at, language) : "—"}</td>
              <td>{journey.outcome ? stateLabel(t, journey.outcome) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Running, or how the journey's workflow ended (completed, failed, terminated…). */
export function StatusBadge({ status, paused = false }: { status: string; paused?: boolean }) {
  const t = useT();
  const word = journeyState({ status, outcome: null, paused });
  const tone = word === "running" ? "badge--active" : word === "paused" ? "badge--paused" : "badge--inactive";
  return <span className={`badge ${tone}`}>{stateLabel(t, word)}</span>;
}
