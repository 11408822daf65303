import type { Automation } from "./types";

/** An HTTP answer that was not 2xx, with the most useful message we could find. */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
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

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** GETs `path` with the bearer token and returns the parsed JSON body. */
export async function apiGet<T>(path: string, token: string, options: RequestOptions = {}): Promise<T> {
  const response = await fetch(path, {
    method: "GET",
    headers: {
      Accept: "application/json",
      Authorization: `Bearer ${token}`,
    },
    signal: options.signal ?? null,
  });
  const body = await readJson(response);
  if (!response.ok) {
    throw new ApiError(response.status, errorMessageFrom(body, response.status, response.statusText));
  }
  return body as T;
}

export function listAutomations(token: string, options: RequestOptions = {}): Promise<Automation[]> {
  return apiGet<Automation[]>("/api/v1/automations", token, options);
}
