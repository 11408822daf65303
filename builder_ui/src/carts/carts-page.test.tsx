import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { automationOverview, jsonResponse } from "../test/fixtures";
import { cartSummary, renderCarts, requestsTo, TEMPLATES } from "../test/render-carts";

const TWO = [
  cartSummary({ id: "cart_a", total: "42.50", in_journey: true }),
  cartSummary({ id: "cart_b", customer_email: null, customer_name: null, contactable: false, registered: true, total: "9.99" }),
];
const AUTOMATIONS = [automationOverview({ id: "aut_1", name: "Three reminders" })];

function listed(carts = TWO, next_cursor: string | null = null, total = carts.length) {
  return { carts, next_cursor, total };
}

function queryOf(request: Request | undefined): string {
  return request ? new URL(request.url).search : "";
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("CartsPage", () => {
  it("lists the carts with their count, status and customer", async () => {
    renderCarts("/carts", { "GET /api/v1/carts": listed(), "GET /api/v1/automations": AUTOMATIONS });

    const table = await screen.findByRole("table", { name: "Carts" });
    const [, first, second] = within(table).getAllByRole("row");
    expect(first).toHaveTextContent(/cart_a\s*ann@example.com\s*Ann Lee · guest\s*abandoned\s*in a journey\s*2\s*42.50 EUR/);
    expect(second).toHaveTextContent(/cart_b\s*no email\s*registered\s*abandoned\s*not contactable/);
    expect(within(first as HTMLElement).getByRole("link", { name: "cart_a" })).toHaveAttribute("href", "/carts/cart_a");
    expect(screen.getByRole("status")).toHaveTextContent("2 carts match");
  });

  it("puts the applied filters in the address and asks the API for them", async () => {
    const { router, fetchMock } = renderCarts("/carts", {
      "GET /api/v1/carts": listed(),
      "GET /api/v1/automations": AUTOMATIONS,
    });
    await screen.findByRole("table", { name: "Carts" });
    await screen.findByRole("option", { name: "Three reminders" });

    const filters = screen.getByRole("form", { name: "Filter carts" });
    fireEvent.click(within(filters).getByLabelText("Abandoned"));
    fireEvent.click(within(filters).getByLabelText("Not contactable"));
    fireEvent.change(within(filters).getByLabelText("Email contains"), { target: { value: " ann " } });
    fireEvent.change(within(filters).getByLabelText("Customer"), { target: { value: "guest" } });
    fireEvent.change(within(filters).getByLabelText("Automation"), { target: { value: "aut_1" } });
    fireEvent.change(within(filters).getByLabelText("Abandoned from"), { target: { value: "2025-03-01" } });
    fireEvent.change(within(filters).getByLabelText("Abandoned until"), { target: { value: "2025-03-31" } });
    fireEvent.change(within(filters).getByLabelText("Total at least"), { target: { value: "10" } });
    fireEvent.change(within(filters).getByLabelText("Total at most"), { target: { value: "99.5" } });
    fireEvent.change(within(filters).getByLabelText("Currency"), { target: { value: "eur" } });
    fireEvent.click(within(filters).getByRole("button", { name: "Apply filters" }));

    const expected =
      "?status=abandoned&status=not_contactable&customer=guest&abandoned_from=2025-03-01&abandoned_to=2025-03-31" +
      "&automation_id=aut_1&min_total=10&max_total=99.5&currency=EUR&email=ann";
    await waitFor(() => expect(router.state.location.search).toBe(expected));
    await waitFor(() => expect(requestsTo(fetchMock, "GET /api/v1/carts")).toHaveLength(2));
    const asked = new URL(requestsTo(fetchMock, "GET /api/v1/carts")[1]!.url).searchParams;
    expect(asked.getAll("status")).toEqual(["abandoned", "not_contactable"]);
    expect(Object.fromEntries([...asked].filter(([key]) => key !== "status"))).toEqual({
      customer: "guest",
      abandoned_from: "2025-03-01",
      abandoned_to: "2025-03-31",
      automation_id: "aut_1",
      min_total: "10",
      max_total: "99.5",
      currency: "EUR",
      email: "ann",
      limit: "50",
    });
  });

  it("opens with the filter the address holds, and clears it", async () => {
    const { router, fetchMock } = renderCarts("/carts?status=in_journey&email=bob", {
      "GET /api/v1/carts": listed(),
      "GET /api/v1/automations": [],
    });
    await screen.findByRole("table", { name: "Carts" });
    expect(screen.getByLabelText("In a journey")).toBeChecked();
    expect(screen.getByLabelText("Email contains")).toHaveValue("bob");
    expect(queryOf(requestsTo(fetchMock, "GET /api/v1/carts")[0])).toBe("?status=in_journey&email=bob&limit=50");

    fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(router.state.location.search).toBe(""));
    expect(screen.getByLabelText("In a journey")).not.toBeChecked();
  });

  it("sorts by a column header, the order kept in the address", async () => {
    const { router, fetchMock } = renderCarts("/carts", { "GET /api/v1/carts": listed(), "GET /api/v1/automations": [] });
    await screen.findByRole("table", { name: "Carts" });
    expect(screen.getByRole("columnheader", { name: /Abandoned/ })).toHaveAttribute("aria-sort", "descending");

    fireEvent.click(screen.getByRole("button", { name: /Total/ }));
    await waitFor(() => expect(router.state.location.search).toBe("?sort=-total"));
    await waitFor(() => expect(screen.getByRole("columnheader", { name: /Total/ })).toHaveAttribute("aria-sort", "descending"));

    fireEvent.click(screen.getByRole("button", { name: /Total/ }));
    await waitFor(() => expect(router.state.location.search).toBe("?sort=total"));
    await waitFor(() => expect(queryOf(requestsTo(fetchMock, "GET /api/v1/carts").at(-1))).toBe("?limit=50&sort=total"));
  });

  it("loads the next page with the cursor and adds it below", async () => {
    const pages = [
      jsonResponse(listed([TWO[0]!], "cur_2", 2)),
      jsonResponse(listed([TWO[1]!], null, 2)),
    ];
    const { fetchMock } = renderCarts("/carts?status=abandoned", {
      "GET /api/v1/carts": () => pages.shift() as Response,
      "GET /api/v1/automations": [],
    });
    const table = await screen.findByRole("table", { name: "Carts" });
    expect(screen.getByRole("status")).toHaveTextContent("2 carts match · showing 1");

    fireEvent.click(screen.getByRole("button", { name: "Load more" }));

    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(3));
    expect(queryOf(requestsTo(fetchMock, "GET /api/v1/carts")[1])).toBe("?status=abandoned&limit=50&cursor=cur_2");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("2 carts match");
  });

  it("downloads the filter's CSV with the token", async () => {
    const csv = "id,status\r\ncart_a,abandoned\r\n";
    const createObjectURL = vi.fn(() => "blob:carts");
    // jsdom has no object URLs: a URL class that has them, for this test only.
    vi.stubGlobal(
      "URL",
      class extends URL {
        static override createObjectURL = createObjectURL;
        static override revokeObjectURL = vi.fn();
      },
    );
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const { fetchMock } = renderCarts("/carts?status=abandoned&sort=total", {
      "GET /api/v1/carts": listed(),
      "GET /api/v1/carts.csv": () => new Response(csv, { headers: { "Content-Type": "text/csv" } }),
      "GET /api/v1/automations": [],
    });

    const link = await screen.findByRole("link", { name: "Download CSV" });
    expect(link).toHaveAttribute("href", "/api/v1/carts.csv?status=abandoned&sort=total");
    fireEvent.click(link);

    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    const [request] = requestsTo(fetchMock, "GET /api/v1/carts.csv");
    expect(queryOf(request)).toBe("?status=abandoned&sort=total");
    expect(request!.headers.get("Authorization")).toBe("Bearer tok_test");
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(await blob.text()).toBe(csv);
    expect(clicked).toHaveBeenCalled();
  });

  it("says when nothing matches", async () => {
    renderCarts("/carts?email=nobody", { "GET /api/v1/carts": listed([]), "GET /api/v1/automations": [] });
    expect(await screen.findByText("No carts match this filter")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("offers support no bulk message", async () => {
    renderCarts("/carts", { "GET /api/v1/carts": listed(), "GET /api/v1/automations": [] }, "support");
    await screen.findByRole("table", { name: "Carts" });
    expect(screen.queryByRole("heading", { name: "Bulk message" })).not.toBeInTheDocument();
  });

  it("is closed to a developer token", () => {
    const { fetchMock } = renderCarts("/carts", {}, "developer");
    expect(screen.getByRole("alert")).toHaveTextContent("support, marketer and admin");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("Bulk message", () => {
  it("runs a dry run, asks to confirm the number, then shows progress and the report", async () => {
    const runs = [
      { status: "running", done: 1, sent: 1 },
      { status: "completed", done: 3, sent: 3 },
    ].map((fields) =>
      jsonResponse({
        run_id: "run_1",
        total: 3,
        skipped: { suppressed: 1, no_consent: 2, frequency_cap: 1, no_email: 0 },
        failed: 0,
        started_at: "2025-03-02T10:00:00Z",
        finished_at: null,
        ...fields,
      }),
    );
    const { fetchMock } = renderCarts("/carts?status=abandoned", {
      "GET /api/v1/carts": listed(),
      "GET /api/v1/automations": [],
      "GET /api/v1/templates": TEMPLATES,
      "POST /api/v1/carts/bulk-message": async (request: Request) => {
        const body = (await request.clone().json()) as { dry_run: boolean };
        return body.dry_run
          ? jsonResponse({ would_send: 3, skipped: { suppressed: 1, no_consent: 2, frequency_cap: 1, no_email: 0 } })
          : jsonResponse({ run_id: "run_1", status_url: "/api/v1/carts/bulk-message/run_1" }, 202);
      },
      "GET /api/v1/carts/bulk-message/run_1": () => runs.shift() as Response,
    });
    await screen.findByRole("table", { name: "Carts" });

    fireEvent.click(screen.getByRole("button", { name: "Message these carts…" }));
    const form = screen.getByRole("form", { name: "Bulk message" });
    await within(form).findByRole("option", { name: "cart-reminder" });
    expect(within(form).queryByRole("option", { name: "draft-only" })).not.toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText("Template"), { target: { value: "cart-reminder" } });
    fireEvent.change(within(form).getByLabelText("Subject (optional)"), { target: { value: "Still thinking?" } });
    fireEvent.click(within(form).getByRole("button", { name: "Check who would get it" }));

    expect(await screen.findByText((_, element) => element?.tagName === "P" && /would be sent/.test(element.textContent ?? ""))).toHaveTextContent(
      "3 would be sent; 4 skipped: 1 suppressed, 2 no consent, 1 capped, 0 no email.",
    );
    const [dryRun] = requestsTo(fetchMock, "POST /api/v1/carts/bulk-message");
    expect(await dryRun!.json()).toEqual({
      filter: { status: ["abandoned"] },
      template: "cart-reminder",
      subject: "Still thinking?",
      dry_run: true,
    });

    fireEvent.click(screen.getByRole("button", { name: "Send to 3 customers…" }));
    const dialog = screen.getByRole("dialog", { name: "Send “cart-reminder” to 3 customers?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Send to 3 customers" }));

    expect(await screen.findByText("1 of 3 done · 1 sent")).toBeInTheDocument();
    expect(screen.getByLabelText("Sending")).toHaveAttribute("value", "1");
    expect(await screen.findByText(/Bulk message finished/, {}, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getByText(/Bulk message finished/).closest("div")).toHaveTextContent(
      "3 sent of 3; 4 skipped: 1 suppressed, 2 no consent, 1 capped, 0 no email.",
    );
    const sent = requestsTo(fetchMock, "POST /api/v1/carts/bulk-message")[1]!;
    expect(((await sent.json()) as { dry_run: boolean }).dry_run).toBe(false);
    expect(requestsTo(fetchMock, "GET /api/v1/carts/bulk-message/run_1")).toHaveLength(2);
  });

  it("asks for a template before a dry run", async () => {
    const { fetchMock } = renderCarts("/carts", {
      "GET /api/v1/carts": listed(),
      "GET /api/v1/automations": [],
      "GET /api/v1/templates": TEMPLATES,
    });
    await screen.findByRole("table", { name: "Carts" });
    fireEvent.click(screen.getByRole("button", { name: "Message these carts…" }));
    fireEvent.submit(screen.getByRole("form", { name: "Bulk message" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("Choose a template first.");
    expect(requestsTo(fetchMock, "POST /api/v1/carts/bulk-message")).toHaveLength(0);
  });
});
