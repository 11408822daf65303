import { Link } from "react-router";
import { unwrap } from "../api/client";
import { useSession } from "../session/session";
import { useApiData } from "../ui/use-api-data";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";

/** Placeholder list (issue 6 replaces it): names and status of the automations. */
export function AutomationsList() {
  const { api } = useSession();
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/automations", { signal })),
    [api],
  );
  return (
    <section aria-labelledby="automations-heading">
      <h1 id="automations-heading">Automations</h1>
      {state.kind === "loading" ? (
        <Loading what="automations" />
      ) : state.kind === "error" ? (
        <ErrorNotice error={state.error} onRetry={reload} />
      ) : state.data.length === 0 ? (
        <EmptyState title="No automations yet.">
          <Link to="/presets">Start from a preset</Link>
        </EmptyState>
      ) : (
        <ul>
          {state.data.map((automation) => (
            <li key={automation.id}>
              <Link to={`/automations/${automation.id}`}>{automation.name}</Link> {automation.status}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
