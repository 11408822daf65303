import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { Route } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Role, Schemas } from "../api/client";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { renderRoutesSignedIn } from "../test/render-signed-in";
import { CustomerPage } from "./customer-page";

type Summary = Schemas["CustomerSummary"];

const EMAIL = "ada@example.com";
const HELD: Summary = {
  email: EMAIL,
  customer: {
    id: "cus_1",
    first_name: "Ada",
    last_name: "Lovelace",
    locale: "en-GB",
    accepts_marketing: true,
    registered: null,
    tags: ["vip"],
    timezone: "Europe/London",
    created_at: "2025-03-01T09:00:00Z",
  },
  held: { customer: 1, carts: 2, orders: 0, events: 5, messages: 1, suppression: 0 },
  erased_before: false,
};
const NOTHING: Summary = { email: EMAIL, customer: null, held: { customer: 0, carts: 0 }, erased_before: false };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

type Routes = Parameters<typeof routedFetch>[0];

function renderCustomers(path: string, routes: Routes, role: Role = "support") {
  const fetchMock = vi.fn(routedFetch(routes));
  vi.stubGlobal("fetch", fetchMock);
  const view = renderRoutesSignedIn(<Route path="/customers" element={<CustomerPage />} />, { role, path });
  return { ...view, fetchMock };
}

function calls(fetchMock: ReturnType<typeof vi.fn>, route: string): Request[] {
  return fetchMock.mock.calls
    .map((call) => call[0] as Request)
    .filter((request) => `${request.method} ${new URL(request.url).pathname}` === route);
}

function term(name: string): HTMLElement {
  return screen.getByText(name, { selector: "dt" }).nextElementSibling as HTMLElement;
}

describe("CustomerPage", () => {
  it("finds a customer by address and shows their facts and what is held, by kind", async () => {
    const { fetchMock } = renderCustomers("/customers", { "GET /api/v1/customers/summary": HELD });

    fireEvent.change(screen.getByLabelText("Customer email"), { target: { value: ` ${EMAIL} ` } });
    fireEvent.click(screen.getByRole("button", { name: "Find" }));

    const found = await screen.findByRole("region", { name: EMAIL });
    expect(new URL(calls(fetchMock, "GET /api/v1/customers/summary")[0]!.url).searchParams.get("email")).toBe(EMAIL);
    expect(term("Name")).toHaveTextContent("Ada Lovelace");
    expect(term("Accepts marketing")).toHaveTextContent("Yes");
    expect(term("Account")).toHaveTextContent("Not told by the shop");
    expect(term("Tags")).toHaveTextContent("vip");
    const held = within(found).getByRole("list", { name: "What is held" });
    expect(within(held).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "1 customer record",
      "2 carts (with their items)",
      "5 events received from the shop",
      "1 email",
    ]);
    expect(screen.getByRole("button", { name: "Download export" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Erase this customer" })).toBeEnabled();
  });

  it("says plainly when nothing is held, and offers no erasure", async () => {
    renderCustomers(`/customers?email=${EMAIL}`, { "GET /api/v1/customers/summary": NOTHING });

    expect(await screen.findByText("Nothing is held about this address")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Erase this customer" })).not.toBeInTheDocument();
    expect(screen.queryByText(/erased before/)).not.toBeInTheDocument();
  });

  it("says when the address was erased before", async () => {
    renderCustomers(`/customers?email=${EMAIL}`, {
      "GET /api/v1/customers/summary": { ...NOTHING, erased_before: true },
    });

    expect(await screen.findByText(/This address was erased before/)).toBeInTheDocument();
    expect(screen.getByText("Nothing is held about this address")).toBeInTheDocument();
  });

  it("shows the API's refusal of an address that is not one", async () => {
    renderCustomers("/customers?email=not-an-address", {
      "GET /api/v1/customers/summary": () =>
        jsonResponse(
          {
            code: "invalid_request",
            message: "email: value is not a valid email address: An email address must have an @-sign.",
            problems: [{ field: "email", message: "value is not a valid email address: An email address must have an @-sign." }],
          },
          422,
        ),
    });

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "That is not an address Boomerang can look up: value is not a valid email address: An email address must have an @-sign.",
    );
    expect(screen.getByLabelText("Customer email")).toHaveValue("not-an-address");
  });

  it("asks for an address before searching", () => {
    const { fetchMock } = renderCustomers("/customers", {});

    fireEvent.click(screen.getByRole("button", { name: "Find" }));

    expect(screen.getByLabelText("Customer email")).toHaveAccessibleDescription("Type the customer's email address first.");
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("downloads the export as a JSON file named after the address", async () => {
    const createObjectURL = vi.fn(() => "blob:export");
    // jsdom has no object URLs: a URL class that has them, for this test only.
    vi.stubGlobal(
      "URL",
      class extends URL {
        static override createObjectURL = createObjectURL;
        static override revokeObjectURL = vi.fn();
      },
    );
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    const document = { email: EMAIL, exported_at: "2025-06-01T00:00:00Z", carts: [{ id: "cart_1" }] };
    const { fetchMock } = renderCustomers(`/customers?email=${EMAIL}`, {
      "GET /api/v1/customers/summary": HELD,
      "GET /api/v1/customers/export": document,
    });

    fireEvent.click(await screen.findByRole("button", { name: "Download export" }));

    await waitFor(() => expect(downloads).toEqual([`boomerang-export-${EMAIL}.json`]));
    const [request] = calls(fetchMock, "GET /api/v1/customers/export");
    expect(new URL(request!.url).searchParams.get("email")).toBe(EMAIL);
    expect(request!.headers.get("Authorization")).toBe("Bearer tok_test");
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(JSON.parse(await blob.text())).toEqual(document);
  });

  it("erases only once the address is typed exactly, then shows what was removed", async () => {
    const erased: Schemas["ErasureOut"] = {
      erased: true,
      removed: { customer: 1, carts: 2, events: 5, messages: 1 },
      journeys_cancelled: 1,
      journeys_not_reached: 0,
    };
    let summary: Summary = HELD;
    const { fetchMock } = renderCustomers(`/customers?email=${EMAIL}`, {
      "GET /api/v1/customers/summary": () => jsonResponse(summary),
      "POST /api/v1/customers/erase": () => {
        summary = { ...NOTHING, erased_before: true };
        return jsonResponse(erased);
      },
    });

    fireEvent.click(await screen.findByRole("button", { name: "Erase this customer" }));
    const dialog = screen.getByRole("dialog", { name: `Erase ${EMAIL}?` });
    const confirm = within(dialog).getByRole("button", { name: "Erase this customer" });
    const typed = within(dialog).getByLabelText("Type the address to confirm");
    expect(typed).toHaveFocus();
    expect(confirm).toBeDisabled();
    fireEvent.change(typed, { target: { value: "ada@example.co" } });
    expect(confirm).toBeDisabled();
    fireEvent.change(typed, { target: { value: "ADA@example.com" } });
    expect(confirm).toBeDisabled();
    fireEvent.change(typed, { target: { value: EMAIL } });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);

    const report = await screen.findByRole("status");
    expect(report).toHaveTextContent("The customer was erased.");
    expect(within(report).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "1 customer record",
      "2 carts (with their items)",
      "5 events received from the shop",
      "1 email",
    ]);
    expect(report).toHaveTextContent("1 running journey was cancelled.");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(await calls(fetchMock, "POST /api/v1/customers/erase")[0]!.json()).toEqual({ email: EMAIL });
    // The summary is asked again: nothing is held any more.
    expect(await screen.findByText("Nothing is held about this address")).toBeInTheDocument();
    expect(calls(fetchMock, "GET /api/v1/customers/summary")).toHaveLength(2);
  });

  it("keeps the dialog open and says why when the erasure fails", async () => {
    renderCustomers(`/customers?email=${EMAIL}`, {
      "GET /api/v1/customers/summary": HELD,
      "POST /api/v1/customers/erase": () => jsonResponse({ code: "forbidden", message: "Your role may not erase." }, 403),
    });

    fireEvent.click(await screen.findByRole("button", { name: "Erase this customer" }));
    const dialog = screen.getByRole("dialog");
    fireEvent.change(within(dialog).getByLabelText("Type the address to confirm"), { target: { value: EMAIL } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Erase this customer" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent("Nothing was erased: Your role may not erase.");
  });

  it("is not for marketers", () => {
    const { fetchMock } = renderCustomers(`/customers?email=${EMAIL}`, {}, "marketer");

    expect(screen.getByRole("alert")).toHaveTextContent("Customers are for support and admin tokens");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
