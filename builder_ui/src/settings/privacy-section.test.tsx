import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { jsonResponse } from "../test/fixtures";
import { renderSettings } from "../test/render-settings";
import { DataRequests, RetentionRuns } from "./privacy-section";

type Run = Schemas["RetentionRunOut"];
type Request = Schemas["DataRequestOut"];

const CUTOFFS = { carts: "2025-03-01T00:00:00Z", events: "2025-05-01T00:00:00Z", messages: "2024-06-01T00:00:00Z" };
const DONE: Run = {
  id: 1,
  started_at: "2025-06-01T10:00:00Z",
  finished_at: "2025-06-01T10:00:02Z",
  status: "done",
  cutoffs: CUTOFFS,
  counts: { carts: 3, customers: 1, event_bodies: 0, emails: 2, simulations: 0 },
  error: null,
};
const FAILED: Run = {
  ...DONE,
  id: 2,
  started_at: "2025-06-01T11:00:00Z",
  status: "failed",
  counts: { carts: 0, customers: 0, event_bodies: 0, emails: 0, simulations: 0 },
  error: "database is locked",
};
const REQUEST: Request = {
  id: "dr_1",
  platform: "shopify",
  request_id: "9001",
  email: "ada@example.com",
  orders: ["1001"],
  received_at: "2025-06-02T08:00:00Z",
  exported_at: null,
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("Purge runs", () => {
  it("lists the latest runs in plain words", async () => {
    const { sent } = renderSettings(<RetentionRuns />, { "GET /api/v1/privacy/retention-runs": { runs: [FAILED, DONE] } });

    const table = await screen.findByRole("table", { name: "Latest purge runs, newest first" });
    const [failed, done] = within(table).getAllByRole("row").slice(1);
    expect(failed).toHaveTextContent("Failed");
    expect(failed).toHaveTextContent("Stopped: database is locked. Nothing was past its time.");
    expect(done).toHaveTextContent("Done");
    expect(done).toHaveTextContent("3 abandoned carts deleted, 1 customer deleted, 2 sent emails emptied.");
    expect(sent[0]?.path).toBe("/api/v1/privacy/retention-runs");
  });

  it("says when no purge has run yet", async () => {
    renderSettings(<RetentionRuns />, { "GET /api/v1/privacy/retention-runs": { runs: [] } });
    expect(await screen.findByText("No purge has run yet")).toBeInTheDocument();
  });

  it("purges now and shows the new run", async () => {
    const now: Run = { ...DONE, id: 3, started_at: "2025-06-03T09:00:00Z", counts: { ...DONE.counts, carts: 7 } };
    let runs: Run[] = [DONE];
    const { sent } = renderSettings(<RetentionRuns />, {
      "GET /api/v1/privacy/retention-runs": () => jsonResponse({ runs }),
      "POST /api/v1/privacy/retention-runs": () => {
        runs = [now, DONE];
        return jsonResponse(now);
      },
    });

    fireEvent.click(await screen.findByRole("button", { name: "Purge now" }));

    expect(await screen.findByRole("status")).toHaveTextContent(
      "Purge finished. 7 abandoned carts deleted, 1 customer deleted, 2 sent emails emptied.",
    );
    const table = screen.getByRole("table", { name: "Latest purge runs, newest first" });
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(3));
    expect(sent.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("says why a purge could not start", async () => {
    renderSettings(<RetentionRuns />, {
      "GET /api/v1/privacy/retention-runs": { runs: [] },
      "POST /api/v1/privacy/retention-runs": () => jsonResponse({ code: "http_error", message: "the database is busy" }, 503),
    });

    fireEvent.click(await screen.findByRole("button", { name: "Purge now" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("the database is busy");
    expect(screen.getByRole("button", { name: "Purge now" })).toBeEnabled();
  });
});

describe("Data requests", () => {
  it("lists the requests platforms forwarded, and exports one as a file", async () => {
    vi.stubGlobal(
      "URL",
      class extends URL {
        static override createObjectURL = vi.fn(() => "blob:export");
        static override revokeObjectURL = vi.fn();
      },
    );
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    let exported: string | null = null;
    const { sent } = renderSettings(<DataRequests />, {
      "GET /api/v1/privacy/data-requests": () => jsonResponse({ requests: [{ ...REQUEST, exported_at: exported }] }),
      "GET /api/v1/customers/export": () => {
        exported = "2025-06-03T09:00:00Z";
        return jsonResponse({ email: REQUEST.email, carts: [] });
      },
    });

    const table = await screen.findByRole("table", { name: "Data requests, newest first" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("ada@example.com");
    expect(row).toHaveTextContent("order 1001");
    expect(row).toHaveTextContent("Shopify");
    expect(row).toHaveTextContent("Not yet");

    fireEvent.click(within(row).getByRole("button", { name: "Export the data of ada@example.com" }));

    await waitFor(() => expect(downloads).toEqual(["boomerang-export-ada@example.com.json"]));
    await waitFor(() => expect(within(table).getAllByRole("row")[1]).not.toHaveTextContent("Not yet"));
    const asked = sent.find((r) => r.path === "/api/v1/customers/export");
    expect(asked).toBeDefined();
  });

  it("says when there are none", async () => {
    renderSettings(<DataRequests />, { "GET /api/v1/privacy/data-requests": { requests: [] } });
    expect(await screen.findByText("No data requests")).toBeInTheDocument();
  });
});
