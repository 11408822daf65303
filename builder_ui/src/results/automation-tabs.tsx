/** The automation page's two views: the editor and its Results (for roles that read results). */
import { NavLink } from "react-router";
import { useT } from "../i18n/i18n";
import "./results.css";

export function AutomationTabs({ automationId }: { automationId: string }) {
  const t = useT();
  const base = `/automations/${encodeURIComponent(automationId)}`;
  return (
    <nav aria-label={t("results.tabs.aria")} className="automation-tabs">
      <NavLink end to={base}>
        {t("results.tabs.editor")}
      </NavLink>
      <NavLink to={`${base}/results`}>{t("results.tabs.results")}</NavLink>
    </nav>
  );
}
