import { render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse, singleReminder, winBack } from "../test/fixtures";
import { AutomationsList } from "./automations-list";

function stubFetch(response: Response | (() => Promise<Response>)) {
  const fetchMock = vi.fn<typeof fetch>(() =>
    typeof response === "function" ? response() : Promise.resolve(response),
  );
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

function renderList(token = "tok_test_123") {
  const onUnauthorized = vi.fn();
  render(<AutomationsList token={token} onUnauthorized={onUnauthorized} />);
  return { onUnauthorized };
}

describe("AutomationsList", () => {
  it("shows a loading state while the request is pending", () => {
    stubFetch(() => new Promise<Response>(() => {}));
    renderList();

    expect(screen.getByRole("heading", { name: "Automations" })).toBeInTheDocument();
    expect(screen.getByText("Loading automations…")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("renders one row per automation from the API answer", async () => {
    stubFetch(jsonResponse([singleReminder, winBack]));
    renderList();

    const table = await screen.findByRole("table");
    expect(screen.queryByText("Loading automations…")).not.toBeInTheDocument();

    const headers = within(table)
      .getAllByRole("columnheader")
      .map((cell) => cell.textContent);
    expect(headers).toEqual(["Name", "Status", "Version", "Steps", "Trigger"]);

    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);

    const [first, second] = rows;
    if (!first || !second) throw new Error("expected two body rows");

    const firstCells = within(first);
    expect(firstCells.getByRole("rowheader")).toHaveTextContent("Abandoned cart — single reminder");
    expect(firstCells.getByText("Active")).toHaveClass("badge", "badge--active");
    expect(firstCells.getByText("v1")).toBeInTheDocument();
    expect(firstCells.getByText("2 steps")).toBeInTheDocument();
    expect(firstCells.getByText("cart_abandoned")).toBeInTheDocument();

    const secondCells = within(second);
    expect(secondCells.getByRole("rowheader")).toHaveTextContent("Win-back with discount");
    expect(secondCells.getByText("Inactive")).toHaveClass("badge", "badge--inactive");
    expect(secondCells.getByText("v3")).toBeInTheDocument();
    expect(secondCells.getByText("1 step")).toBeInTheDocument();
    expect(secondCells.getByText("checkout_started")).toBeInTheDocument();
  });

  it("calls GET /api/v1/automations with the bearer token", async () => {
    const fetchMock = stubFetch(jsonResponse([]));
    renderList("tok_secret_abc");

    await screen.findByText("No automations yet.");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe("/api/v1/automations");
    expect(init?.method ?? "GET").toBe("GET");
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer tok_secret_abc");
  });

  it("shows the empty state when there are no automations", async () => {
    stubFetch(jsonResponse([]));
    renderList();

    expect(await screen.findByText("No automations yet.")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows the API's `message` when the request fails", async () => {
    stubFetch(jsonResponse({ code: "store_unavailable", message: "The automation store is down." }, 503));
    renderList();

    expect(await screen.findByRole("alert")).toHaveTextContent("The automation store is down.");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows the API's `detail` when there is no `message`", async () => {
    stubFetch(jsonResponse({ detail: "Not allowed for this workspace." }, 403));
    renderList();

    expect(await screen.findByRole("alert")).toHaveTextContent("Not allowed for this workspace.");
  });

  it("falls back to the HTTP status when the error body has no message", async () => {
    stubFetch(new Response("<html>Bad gateway</html>", { status: 502 }));
    renderList();

    expect(await screen.findByRole("alert")).toHaveTextContent("HTTP 502");
  });

  it("reports a 401 instead of showing an error", async () => {
    stubFetch(jsonResponse({ detail: "Invalid token" }, 401));
    const { onUnauthorized } = renderList();

    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    expect(screen.queryByText(/Invalid token/)).not.toBeInTheDocument();
  });
});
