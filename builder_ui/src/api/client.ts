/**
 * The typed API client: `openapi-fetch` over `schema.ts`, which `npm run gen:api` generates
 * from `openapi.json` (the API's own document; `make api-client` refreshes both).
 *
 *   const automations = await unwrap(api.GET("/api/v1/automations"));
 *
 * Every answer that is not 2xx becomes an `ApiError` carrying the API's stable `code`, its
 * human `message` and, for 422s, the `problems` with their fields.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Api = Client<paths>;
export type Role = Schemas["Role"];

export interface Problem {
  field: string;
  message: string;
  step_id?: string | null;
  /** Templates: the line of the source the problem is on. */
  line?: number | null;
  [key: string]: unknown;
}

/** An HTTP answer that was not 2xx, with the most useful message we could find. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: Problem[];

  constructor(status: number, message: string, code = "", problems: Problem[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Picks the message out of an error body: `{"code", "message"}` or
 * `{"detail"}`; falls back to the HTTP status.
 */
export function errorMessageFrom(body: unknown, status: number, statusText = ""): string {
  if (isRecord(body)) {
    const { message, detail } = body;
    if (typeof message === "string" && message.trim() !== "") return message;
    if (typeof detail === "string" && detail.trim() !== "") return detail;
  }
  const text = statusText.trim();
  return text === "" ? `HTTP ${status}` : `HTTP ${status} ${text}`;
}

/** The `ApiError` for an error answer and its parsed body. */
export function apiErrorFrom(body: unknown, response: Response): ApiError {
  const code = isRecord(body) && typeof body.code === "string" ? body.code : "";
  const problems =
    isRecord(body) && Array.isArray(body.problems) ? (body.problems as Problem[]) : [];
  return new ApiError(
    response.status,
    errorMessageFrom(body, response.status, response.statusText),
    code,
    problems,
  );
}

interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The data of a 2xx answer; an `ApiError` otherwise (a network failure stays a TypeError). */
export async function unwrap<D>(request: Promise<Answer<D>>): Promise<D> {
  const { data, error, response } = await request;
  if (!response.ok) throw apiErrorFrom(error, response);
  return data as D;
}

/** A client that sends `token` with every call and reports a 401 (the token was revoked). */
export function createApi(token: string, onUnauthorized: () => void = () => {}): Api {
  // An absolute base: `Request` refuses relative URLs outside a browser page (tests).
  const api = createClient<paths>({ baseUrl: window.location.origin });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set("Authorization", `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) onUnauthorized();
      return response;
    },
  };
  api.use(auth);
  return api;
}

/** Who the token belongs to: `GET /api/v1/me`. */
export function whoAmI(api: Api, signal?: AbortSignal): Promise<Schemas["Caller"]> {
  return unwrap(api.GET("/api/v1/me", signal ? { signal } : {}));
}
