import type { Schemas } from "../api/client";

type Overview = Schemas["AutomationOverview"];

/** An automation as the API lists it: inactive version 1 of an empty cart flow, no draft, no
 * journeys or sends; `fields` over that. */
export function automationOverview(fields: Partial<Overview> & Pick<Overview, "id" | "name">): Overview {
  return {
    status: "inactive",
    version: 1,
    definition: { name: fields.name, trigger: { event: "cart_abandoned" }, steps: [] },
    draft: null,
    preset: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    running_journeys: 0,
    emails_sent_30d: 0,
    recoveries_30d: 0,
    ...fields,
  };
}

/** A real `Response` carrying `body` as JSON. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** The URL a stubbed `fetch` was called with (openapi-fetch passes a `Request`). */
export function requestedUrl(input: RequestInfo | URL): string {
  if (input instanceof Request) return input.url;
  return input instanceof URL ? input.href : input;
}

/** A `fetch` stub answering by path (`"GET /api/v1/me"`); anything else is a 404. */
export function routedFetch(
  routes: Record<string, unknown | ((request: Request) => Response)>,
): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), "http://localhost"), init);
    const url = new URL(request.url, "http://localhost");
    const answer = routes[`${request.method} ${url.pathname}`];
    if (answer === undefined) return Promise.resolve(jsonResponse({ code: "not_found", message: "no such stub" }, 404));
    return Promise.resolve(typeof answer === "function" ? (answer as (r: Request) => Response)(request) : jsonResponse(answer));
  };
}
