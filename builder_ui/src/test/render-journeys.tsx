/**
 * Test helper: renders the journeys routes as a signed-in caller of `role`, starting at `path`.
 * Any other route shows `Location: <path>` so a test can see where a link went. Stub `fetch`
 * first: the API client is created here.
 */
import type { RenderResult } from "@testing-library/react";
import { Route } from "react-router";
import type { Role } from "../api/client";
import { JourneyPage } from "../journeys/journey-page";
import { JourneysPage } from "../journeys/journeys-page";
import { renderRoutesSignedIn } from "./render-signed-in";

export function renderJourneys(path: string, role: Role = "support"): RenderResult {
  return renderRoutesSignedIn(
    <>
      <Route path="/journeys" element={<JourneysPage />} />
      <Route path="/journeys/:journeyId" element={<JourneyPage />} />
    </>,
    { role, path },
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
