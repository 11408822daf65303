/**
 * Test helper: renders the journeys routes as a signed-in caller of `role`, starting at `path`.
 * Any other route shows `Location: <path>` so a test can see where a link went. Stub `fetch`
 * first: the API client is created here.
 */
import { render, type RenderResult } from "@testing-library/react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import type { Role } from "../api/client";
import { SessionContext } from "../session/session";
import { testSession } from "./session";
import { JourneyPage } from "../journeys/journey-page";
import { JourneysPage } from "../journeys/journeys-page";

function CurrentLocation() {
  return <p>Location: {useLocation().pathname}</p>;
}

export function renderJourneys(path: string, role: Role = "support"): RenderResult {
  const session = testSession(role);
  return render(
    <SessionContext.Provider value={session}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/journeys" element={<JourneysPage />} />
          <Route path="/journeys/:journeyId" element={<JourneyPage />} />
          <Route path="*" element={<CurrentLocation />} />
        </Routes>
      </MemoryRouter>
    </SessionContext.Provider>,
  );
}

/** Every request the stubbed `fetch` received, as `METHOD /path?query`. */
export function requestsOf(fetchMock: { mock: { calls: unknown[][] } }): string[] {
  return fetchMock.mock.calls.map(([input]) => {
    const request = input as Request;
    const url = new URL(request.url);
    return `${request.method} ${url.pathname}${url.search}`;
  });
}
