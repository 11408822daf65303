import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { jsonResponse } from "../test/fixtures";
import { cartDetail, renderCarts, requestsTo, TEMPLATES } from "../test/render-carts";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function term(name: string): HTMLElement {
  return screen.getAllByText(name, { selector: "dt" })[0]!.nextElementSibling as HTMLElement;
}

describe("CartPage", () => {
  it("shows the cart's items, customer, journeys, messages with their events and timeline", async () => {
    renderCarts("/carts/cart_1", { "GET /api/v1/carts/cart_1": cartDetail() }, "support");

    const items = await screen.findByRole("table", { name: "Items" });
    expect(within(items).getAllByRole("row")[1]).toHaveTextContent(/Blue mug\s*Large\s*2\s*12.00 EUR/);
    expect(term("Marketing consent")).toHaveTextContent("yes");
    expect(term("Suppressed")).toHaveTextContent("no");
    expect(term("Registered")).toHaveTextContent("guest");
    const journeys = screen.getByRole("list", { name: "Journeys" });
    expect(within(journeys).getByRole("link", { name: "Three reminders" })).toHaveAttribute(
      "href",
      "/journeys/journey%3Aaut_1%3Acart_1",
    );
    const events = screen.getByRole("list", { name: "Delivery events of “You left something behind”" });
    expect(within(events).getAllByRole("listitem").map((item) => item.textContent?.split(" ")[0])).toEqual([
      "delivered",
      "opened",
    ]);
    expect(screen.getByText("No order came from this cart yet.")).toBeInTheDocument();
    const timeline = screen.getByRole("list", { name: "Timeline" });
    expect(within(timeline).getAllByRole("listitem")).toHaveLength(3);
    expect(within(timeline).getAllByRole("listitem")[0]).toHaveTextContent("Cart created");
    // Support reads and copies links, but does not message.
    expect(screen.getByRole("button", { name: "Copy recovery link" })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Message this customer" })).not.toBeInTheDocument();
  });

  it("names journeys without a link for a marketer, who cannot open journeys", async () => {
    renderCarts("/carts/cart_1", { "GET /api/v1/carts/cart_1": cartDetail(), "GET /api/v1/templates": TEMPLATES });
    const journeys = await screen.findByRole("list", { name: "Journeys" });
    expect(within(journeys).queryByRole("link")).not.toBeInTheDocument();
    expect(journeys).toHaveTextContent("Three reminders");
  });

  it("copies a fresh recovery link with a discount code, and shows both", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const { fetchMock } = renderCarts(
      "/carts/cart_1",
      {
        "GET /api/v1/carts/cart_1": cartDetail(),
        "POST /api/v1/carts/cart_1/recovery-link": {
          url: "https://shop.example/recover/abc",
          expires_at: "2025-03-09T10:00:00Z",
          code: "BACK10-XYZ",
          code_expires_at: "2025-03-09T10:00:00Z",
        },
      },
      "support",
    );
    fireEvent.change(await screen.findByLabelText("Discount % (optional)"), { target: { value: "10" } });
    fireEvent.click(screen.getByRole("button", { name: "Copy recovery link" }));

    expect(await screen.findByText(/Copied the recovery link to the clipboard/)).toHaveTextContent("BACK10-XYZ");
    expect(writeText).toHaveBeenCalledWith("https://shop.example/recover/abc");
    expect(screen.getByRole("textbox", { name: "Recovery link" })).toHaveValue("https://shop.example/recover/abc");
    const [request] = requestsTo(fetchMock, "POST /api/v1/carts/cart_1/recovery-link");
    expect(await request!.json()).toEqual({ discount_percent: 10, discount_expires_in: "7d" });
  });

  it("refuses a discount outside 1-90 without asking the API", async () => {
    const { fetchMock } = renderCarts("/carts/cart_1", { "GET /api/v1/carts/cart_1": cartDetail() }, "support");
    fireEvent.change(await screen.findByLabelText("Discount % (optional)"), { target: { value: "95" } });
    fireEvent.click(screen.getByRole("button", { name: "Copy recovery link" }));
    expect(screen.getByText("A discount is a whole number from 1 to 90.")).toBeInTheDocument();
    expect(requestsTo(fetchMock, "POST /api/v1/carts/cart_1/recovery-link")).toHaveLength(0);
  });

  it("messages the customer after a confirmation", async () => {
    const { fetchMock } = renderCarts("/carts/cart_1", {
      "GET /api/v1/carts/cart_1": cartDetail(),
      "GET /api/v1/templates": TEMPLATES,
      "POST /api/v1/carts/cart_1/message": { message_id: 12, status: "sent" },
    });
    const form = await screen.findByRole("form", { name: "Message this customer" });
    await within(form).findByRole("option", { name: "cart-reminder" });
    fireEvent.change(within(form).getByLabelText("Template"), { target: { value: "cart-reminder" } });
    fireEvent.click(within(form).getByRole("button", { name: "Send…" }));
    const dialog = screen.getByRole("dialog", { name: "Send this email?" });
    expect(dialog).toHaveTextContent("“cart-reminder” goes to ann@example.com");
    fireEvent.click(within(dialog).getByRole("button", { name: "Send email" }));

    expect(await screen.findByText("Sent “cart-reminder” to ann@example.com.")).toBeInTheDocument();
    const [request] = requestsTo(fetchMock, "POST /api/v1/carts/cart_1/message");
    expect(await request!.json()).toEqual({ template: "cart-reminder", subject: null });
    expect(request!.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ["suppressed", "on the suppression list"],
    ["no_consent", "has not agreed to marketing emails"],
    ["frequency_cap", "frequency cap"],
    ["no_email", "no email address"],
  ])("says in plain words why a message was not sent (%s)", async (code, words) => {
    renderCarts("/carts/cart_1", {
      "GET /api/v1/carts/cart_1": cartDetail(),
      "GET /api/v1/templates": TEMPLATES,
      "POST /api/v1/carts/cart_1/message": () => jsonResponse({ code, message: code }, 409),
    });
    const form = await screen.findByRole("form", { name: "Message this customer" });
    await within(form).findByRole("option", { name: "cart-reminder" });
    fireEvent.change(within(form).getByLabelText("Template"), { target: { value: "cart-reminder" } });
    fireEvent.click(within(form).getByRole("button", { name: "Send…" }));
    fireEvent.click(within(screen.getByRole("dialog")).getByRole("button", { name: "Send email" }));

    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent(`Not sent. `));
    expect(screen.getByRole("alert")).toHaveTextContent(words);
  });

  it("leads back to the list it was opened from", async () => {
    renderCarts("/carts?status=lost", {
      "GET /api/v1/carts": { carts: [cartDetail()], next_cursor: null, total: 1 },
      "GET /api/v1/automations": [],
      "GET /api/v1/carts/cart_1": cartDetail(),
    }, "support");
    fireEvent.click(await screen.findByRole("link", { name: "cart_1" }));
    expect(await screen.findByRole("link", { name: "← Carts" })).toHaveAttribute("href", "/carts?status=lost");
  });
});
