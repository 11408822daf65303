/**
 * `/settings` and `/settings/integrations`: the sections the caller's role may use, in two tabs.
 * General: admins see the shop settings, email delivery and every token; developers (who reach
 * the page through `manage_tokens`) see their ingest tokens only. Integrations (admins and
 * developers): the shop platforms and the storefront.
 */
import { NavLink } from "react-router";
import { useT } from "../i18n/i18n";
import { CurrencyRatesCard } from "../money/currency-rates-card";
import { useSession } from "../session/session";
import { EmptyState } from "../ui/notices";
import { IntegrationsSection } from "./integrations-section";
import { ShopSettings } from "./shop-settings";
import { TokensSection } from "./tokens-section";
import "./settings.css";

export function SettingsPage({ tab = "general" }: { tab?: "general" | "integrations" }) {
  const { can } = useSession();
  const t = useT();
  const shop = can("manage_settings");
  const tokens = can("manage_tokens");
  const integrations = can("read_integrations");
  return (
    <div className="settings-page">
      <h1>{t("settings.title")}</h1>
      {integrations ? (
        <nav aria-label={t("settings.tabs.label")} className="settings-tabs">
          <NavLink to="/settings" end className="settings-tabs__link">
            {t("settings.tabs.general")}
          </NavLink>
          <NavLink to="/settings/integrations" className="settings-tabs__link">
            {t("settings.tabs.integrations")}
          </NavLink>
        </nav>
      ) : null}
      {tab === "integrations" && integrations ? (
        <IntegrationsSection />
      ) : (
        <>
          {shop ? <ShopSettings /> : null}
          {shop ? <CurrencyRatesCard /> : null}
          {tokens ? <TokensSection /> : null}
          {!shop && !tokens ? (
            <EmptyState title={t("settings.nothing.title")}>
              <p>{t("settings.nothing.body")}</p>
            </EmptyState>
          ) : null}
        </>
      )}
    </div>
  );
}
