/** The automation page's two views: the editor and its Results (for roles that read results). */
import { NavLink } from "react-router";
import "./results.css";

export function AutomationTabs({ automationId }: { automationId: string }) {
  const base = `/automations/${encodeURIComponent(automationId)}`;
  return (
    <nav aria-label="Automation views" className="automation-tabs">
      <NavLink end to={base}>
        Editor
      </NavLink>
      <NavLink to={`${base}/results`}>Results</NavLink>
    </nav>
  );
}
