/**
 * Test helper: renders a page as a signed-in caller of `role`, inside a router that also shows
 * where a navigation went (a `Location: /path` paragraph). Stub `fetch` before calling it: the
 * API client takes `fetch` when it is created.
 */
import { render, type RenderResult } from "@testing-library/react";
import type { ReactElement, ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import type { Role } from "../api/client";
import { SessionContext } from "../session/session";
import { testSession } from "./session";

function CurrentLocation() {
  return <p>Location: {useLocation().pathname}</p>;
}

/** Renders the `<Route>`s starting at `path`; any other route shows `Location: <path>`. */
export function renderRoutesSignedIn(routes: ReactNode, { role, path }: { role: Role; path: string }): RenderResult {
  return render(
    <SessionContext.Provider value={testSession(role)}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          {routes}
          <Route path="*" element={<CurrentLocation />} />
        </Routes>
      </MemoryRouter>
    </SessionContext.Provider>,
  );
}

export function renderSignedIn(
  page: ReactElement,
  { role = "marketer", path = "/" }: { role?: Role; path?: string } = {},
): RenderResult {
  return renderRoutesSignedIn(<Route path={path} element={page} />, { role, path });
}
