/**
 * `/settings`: the sections the caller's role may use. Admins see the shop settings, email
 * delivery and every token; developers (who reach the page through `manage_tokens`) see their
 * ingest tokens only.
 */
import { useSession } from "../session/session";
import { EmptyState } from "../ui/notices";
import { ShopSettings } from "./shop-settings";
import { TokensSection } from "./tokens-section";
import "./settings.css";

export function SettingsPage() {
  const { can } = useSession();
  const shop = can("manage_settings");
  const tokens = can("manage_tokens");
  return (
    <div className="settings-page">
      <h1>Settings</h1>
      {shop ? <ShopSettings /> : null}
      {tokens ? <TokensSection /> : null}
      {!shop && !tokens ? (
        <EmptyState title="Nothing to set here">
          <p>Your role has no settings to manage. An admin can change the shop settings.</p>
        </EmptyState>
      ) : null}
    </div>
  );
}
