/** Renders a templates page as a signed-in user, with `fetch` answered by the given routes. */
import type { ReactElement } from "react";
import { vi } from "vitest";
import { renderInRouter } from "./render-in-router";
import { testSession } from "./session";
import { routedFetch } from "./fixtures";

// CodeMirror measures text through Range rectangles, which jsdom does not lay out.
if (typeof Range.prototype.getClientRects !== "function") {
  Range.prototype.getClientRects = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getBoundingClientRect = () => new DOMRect();
}

type FetchRoutes = Parameters<typeof routedFetch>[0];

export function renderAs(
  role: "admin" | "marketer" | "support",
  element: ReactElement,
  { path, at, routes }: { path: string; at: string; routes: FetchRoutes },
) {
  const fetchMock = vi.fn(routedFetch(routes));
  vi.stubGlobal("fetch", fetchMock);
  const view = renderInRouter(
    [
      { path, element },
      ...(path === "/templates" ? [{ path: "/templates/:templateName", element: <p>Opened the editor</p> }] : []),
    ],
    { at, session: testSession(role) },
  );
  return { ...view, fetchMock };
}

/** The `Request`s `fetch` got for "METHOD /path". */
export function callsTo(fetchMock: ReturnType<typeof vi.fn>, route: string): Request[] {
  return fetchMock.mock.calls
    .map((call) => call[0] as Request)
    .filter((request) => `${request.method} ${new URL(request.url).pathname}` === route);
}
