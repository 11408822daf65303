/** The session a page test renders in: a token of `role`, and an API client over `fetch`
 * (stub `fetch` first: the client takes it when it is created). */
import { createApi, type Role } from "../api/client";
import { roleCan, type Session } from "../session/session";

export function testSession(role: Role): Session {
  return {
    token: "tok_test",
    caller: { token_id: "tok_test", name: `${role} desk`, role },
    api: createApi("tok_test"),
    can: (capability) => roleCan(role, capability),
    signOut: () => {},
  };
}
