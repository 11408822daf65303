/**
 * Said above the automations when the shop requires marketing consent to enrol (the shop
 * setting `require_marketing_consent`): why a cart without consent never starts a journey.
 * Silent while unknown: the list is no less usable without it.
 */
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { useApiData } from "../ui/use-api-data";

export function ConsentNote() {
  const { api, can } = useSession();
  const t = useT();
  const { state } = useApiData((signal) => unwrap(api.GET("/api/v1/settings/enrolment", { signal })), [api]);
  if (state.kind !== "loaded" || !state.data.require_marketing_consent) return null;
  // One sentence in every language: the link (or the words) goes where it says `{where}`.
  const [before = "", after = ""] = t("automations-list.consent").split("{where}");
  return (
    <p className="notice automations__consent" role="note">
      {before}
      {can("manage_settings") ? (
        <Link to="/settings">{t("automations-list.consent.settings")}</Link>
      ) : (
        t("automations-list.consent.ask-admin")
      )}
      {after}
    </p>
  );
}
