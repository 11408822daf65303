/**
 * Test helper: renders a settings component as a signed-in caller of `role`, with `fetch`
 * stubbed by path (`"PUT /api/v1/settings"`); returns the requests it got, bodies readable.
 */
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router";
import { vi } from "vitest";
import type { Role } from "../api/client";
import { SessionContext } from "../session/session";
import { testSession } from "./session";
import { routedFetch } from "./fixtures";

export interface Sent {
  method: string;
  path: string;
  body: unknown;
}

export function renderSettings(
  page: ReactElement,
  routes: Parameters<typeof routedFetch>[0],
  role: Role = "admin",
): RenderResult & { sent: Sent[] } {
  const sent: Sent[] = [];
  const answer = routedFetch(routes);
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(String(input), init);
      const text = await request.clone().text();
      const path = new URL(request.url).pathname;
      sent.push({ method: request.method, path, body: text ? JSON.parse(text) : undefined });
      return answer(request);
    }),
  );
  const session = testSession(role);
  const rendered = render(
    <SessionContext.Provider value={session}>
      <MemoryRouter initialEntries={["/settings"]}>{page}</MemoryRouter>
    </SessionContext.Provider>,
  );
  return { ...rendered, sent };
}
