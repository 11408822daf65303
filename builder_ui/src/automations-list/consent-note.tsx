/**
 * Said above the automations when the shop requires marketing consent to enrol (the shop
 * setting `require_marketing_consent`): why a cart without consent never starts a journey.
 * Silent while unknown: the list is no less usable without it.
 */
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { useSession } from "../session/session";
import { useApiData } from "../ui/use-api-data";

export function ConsentNote() {
  const { api, can } = useSession();
  const { state } = useApiData((signal) => unwrap(api.GET("/api/v1/settings/enrolment", { signal })), [api]);
  if (state.kind !== "loaded" || !state.data.require_marketing_consent) return null;
  return (
    <p className="notice automations__consent" role="note">
      Only customers who accept marketing enter automations (
      {can("manage_settings") ? <Link to="/settings">Settings</Link> : "a shop setting an admin changes"}).
    </p>
  );
}
