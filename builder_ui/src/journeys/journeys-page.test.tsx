import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { renderJourneys, requestsOf } from "../test/render-journeys";

const FOUND = [
  {
    id: "journey:aut_1:cart_old",
    automation_id: "aut_1",
    automation_name: "Three reminders",
    automation_version: 2,
    cart_id: "cart_old",
    status: "completed",
    outcome: "recovered",
    current_step: null,
    started_at: "2024-01-10T10:00:00Z",
    closed_at: "2024-01-11T10:00:00Z",
  },
  {
    id: "journey:aut_1:cart_new",
    automation_id: "aut_1",
    automation_name: "Three reminders",
    automation_version: 3,
    cart_id: "cart_new",
    status: "running",
    outcome: null,
    current_step: "wait-1",
    started_at: "2024-01-15T14:30:00Z",
    closed_at: null,
  },
];

function searchFor(text: string) {
  fireEvent.change(screen.getByLabelText("Customer email or cart id"), { target: { value: text } });
  fireEvent.click(screen.getByRole("button", { name: "Search" }));
}

describe("JourneysPage", () => {
  it("finds a customer's journeys by email and lists them newest first", async () => {
    const fetchMock = vi.fn(routedFetch({ "GET /api/v1/journeys": FOUND }));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys("/journeys");

    searchFor("  Jane@Example.com ");

    const table = await screen.findByRole("table", { name: "Journeys" });
    expect(requestsOf(fetchMock)).toEqual(["GET /api/v1/journeys?customer_email=Jane%40Example.com"]);
    const [, newest, oldest] = within(table).getAllByRole("row");
    expect(newest).toHaveTextContent(/cart_new\s*Three reminders\s*v3\s*running\s*wait-1/);
    expect(oldest).toHaveTextContent("recovered");
    expect(screen.getByRole("status")).toHaveTextContent("2 journeys for the customer Jane@Example.com");
  });

  it("searches by cart id when the text has no @", async () => {
    const fetchMock = vi.fn(routedFetch({ "GET /api/v1/journeys": [FOUND[1]] }));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys("/journeys");

    searchFor("cart_new");

    await screen.findByRole("table", { name: "Journeys" });
    expect(requestsOf(fetchMock)).toEqual(["GET /api/v1/journeys?cart_id=cart_new"]);
  });

  it("links each journey to its page, with the id's colons encoded", async () => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/journeys": [FOUND[1]] })));
    renderJourneys("/journeys?q=cart_new");

    const link = await screen.findByRole("link", { name: "cart_new" });
    expect(link).toHaveAttribute("href", "/journeys/journey%3Aaut_1%3Acart_new");
  });

  it("says so when nothing matches", async () => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/journeys": [] })));
    renderJourneys("/journeys");

    searchFor("nobody@example.com");

    expect(await screen.findByText("No journeys for the customer nobody@example.com")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("asks for some text instead of searching for nothing", () => {
    const fetchMock = vi.fn(routedFetch({}));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys("/journeys");

    searchFor("   ");

    expect(screen.getByLabelText("Customer email or cart id")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Type a customer's email or a cart id first.")).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the API's error with a way to try again", async () => {
    const answers = [
      jsonResponse({ code: "temporal_unavailable", message: "Temporal is not reachable" }, 503),
      jsonResponse([FOUND[1]]),
    ];
    vi.stubGlobal("fetch", vi.fn(() => Promise.resolve(answers.shift() as Response)));
    renderJourneys("/journeys?q=cart_new");

    expect(await screen.findByRole("alert")).toHaveTextContent("Temporal is not reachable");
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));

    expect(await screen.findByRole("table", { name: "Journeys" })).toBeInTheDocument();
  });

  it("offers no search to a role that cannot operate journeys", () => {
    const fetchMock = vi.fn(routedFetch({}));
    vi.stubGlobal("fetch", fetchMock);
    renderJourneys("/journeys?q=cart_new", "marketer");

    expect(screen.queryByLabelText("Customer email or cart id")).not.toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("support and admin");
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
