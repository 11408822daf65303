/** The journeys a search found, newest first, each linking to its page. */
import { Link } from "react-router";
import type { Schemas } from "../api/client";
import { formatWhen, journeyPath, journeyState, journeySubject } from "./journey-format";

type Journey = Schemas["NamedJourney"];

function newestFirst(a: Journey, b: Journey): number {
  return (b.started_at ?? "").localeCompare(a.started_at ?? "");
}

export function JourneysTable({ journeys }: { journeys: readonly Journey[] }) {
  const rows = [...journeys].sort(newestFirst);
  return (
    <div className="table-wrap">
      <table className="journeys__table" aria-label="Journeys">
        <thead>
          <tr>
            <th scope="col">Cart or order</th>
            <th scope="col">Automation</th>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Current step</th>
            <th scope="col">Started</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((journey) => (
            <tr key={journey.id}>
              <th scope="row">
                <Link to={journeyPath(journey.id)}>{journeySubject(journey.id)}</Link>
              </th>
              <td>{journey.automation_name ?? journey.automation_id ?? "—"}</td>
              <td>{journey.automation_version === null ? "—" : `v${journey.automation_version}`}</td>
              <td>
                <StatusBadge status={journey.status} />
              </td>
              <td>{journey.current_step ? <code>{journey.current_step}</code> : "—"}</td>
              <td>{journey.started_at ? formatWhen(journey.started_at) : "—"}</td>
              <td>{journey.outcome ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Running, or how the journey's workflow ended (completed, failed, terminated…). */
export function StatusBadge({ status, paused = false }: { status: string; paused?: boolean }) {
  const word = journeyState({ status, outcome: null, paused });
  const tone = word === "running" ? "badge--active" : word === "paused" ? "badge--paused" : "badge--inactive";
  return <span className={`badge ${tone}`}>{word}</span>;
}
