/**
 * The signed-in session: the token, who it belongs to, the API client made with it, and what
 * the token's role may do. The UI asks `can(...)` instead of comparing roles, so a page never
 * offers a control the API would refuse (the API checks again: tests/builder_api/
 * test_role_matrix.py is the source of these rules).
 */
import { createContext, useContext } from "react";
import type { Api, Role, Schemas } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";

export type Capability =
  | "read_automations"
  | "edit_automations"
  | "deactivate_automations"
  | "use_presets"
  | "edit_templates"
  | "read_catalog"
  | "operate_journeys"
  | "manage_tokens"
  | "manage_settings"
  | "read_integrations"
  | "read_carts"
  | "message_carts"
  | "read_results"
  | "simulate"
  /** Find a customer by address, export what is held about them, erase them. */
  | "manage_customers";

const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    "read_automations",
    "edit_automations",
    "deactivate_automations",
    "use_presets",
    "edit_templates",
    "read_catalog",
    "operate_journeys",
    "manage_tokens",
    "manage_settings",
    "read_integrations",
    "read_carts",
    "message_carts",
    "read_results",
    "simulate",
    "manage_customers",
  ],
  marketer: [
    "read_automations",
    "edit_automations",
    "deactivate_automations",
    "use_presets",
    "edit_templates",
    "read_catalog",
    "read_carts",
    "message_carts",
    "read_results",
    "simulate",
  ],
  developer: ["read_catalog", "manage_tokens", "read_integrations", "simulate"],
  support: ["read_automations", "deactivate_automations", "operate_journeys", "read_carts", "manage_customers"],
  ingest: [],
  // A publishable key in the shop's pages: it reports carts, never signs in to the builder.
  storefront: [],
};

export function roleCan(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

/** Roles that may use the builder at all: ingest tokens and storefront keys only post events. */
export function mayUseBuilder(role: Role): boolean {
  return GRANTS[role].length > 0;
}

export interface Session {
  token: string;
  caller: Schemas["Caller"];
  api: Api;
  can: (capability: Capability) => boolean;
  /** Back to the sign-in page, which says `message` (a key: it is said in the reader's language). */
  signOut: (message?: MessageKey | null) => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error("useSession outside a signed-in SessionContext");
  return session;
}
