/**
 * Test helper: the carts routes as a signed-in caller of `role`, starting at `path`, with
 * `fetch` answered by `routes`; the router is returned so a test can read the address.
 */
import { vi } from "vitest";
import type { Role } from "../api/client";
import { CartPage } from "../carts/cart-page";
import type { CartDetail, CartSummary } from "../carts/carts-api";
import { CartsPage } from "../carts/carts-page";
import { routedFetch } from "./fixtures";
import { renderInRouter } from "./render-in-router";
import { testSession } from "./session";

type FetchRoutes = Parameters<typeof routedFetch>[0];

export function renderCarts(path: string, routes: FetchRoutes, role: Role = "marketer") {
  const fetchMock = vi.fn(routedFetch(routes));
  vi.stubGlobal("fetch", fetchMock);
  const view = renderInRouter(
    [
      { path: "/carts", element: <CartsPage /> },
      { path: "/carts/:cartId", element: <CartPage /> },
      { path: "*", element: <p>Somewhere else</p> },
    ],
    { at: path, session: testSession(role) },
  );
  return { ...view, fetchMock };
}

/** The `Request`s `fetch` got for "METHOD /path". */
export function requestsTo(fetchMock: ReturnType<typeof vi.fn>, route: string): Request[] {
  return fetchMock.mock.calls
    .map((call) => call[0] as Request)
    .filter((request) => `${request.method} ${new URL(request.url).pathname}` === route);
}

/** A cart as the list gives it: an abandoned guest cart of 2 items; `fields` over that. */
export function cartSummary(fields: Partial<CartSummary> & Pick<CartSummary, "id">): CartSummary {
  return {
    status: "abandoned",
    customer_email: "ann@example.com",
    customer_name: "Ann Lee",
    registered: false,
    contactable: true,
    in_journey: false,
    item_count: 2,
    total: "42.50",
    currency: "EUR",
    abandoned_at: "2025-03-01T10:00:00Z",
    recovered_at: null,
    updated_at: "2025-03-01T10:05:00Z",
    order_id: null,
    ...fields,
  };
}

export function cartDetail(fields: Partial<CartDetail> = {}): CartDetail {
  return {
    ...cartSummary({ id: "cart_1", in_journey: true }),
    items: [
      { id: "sku-1", name: "Blue mug", variant: "Large", quantity: 2, price: "12.00", image_url: null },
      { id: "sku-2", name: "Tea towel", variant: null, quantity: 1, price: "18.50", image_url: null },
    ],
    subtotal: "42.50",
    shipping: "0.00",
    tax: "0.00",
    customer: {
      id: "cus_1",
      email: "ann@example.com",
      first_name: "Ann",
      last_name: "Lee",
      registered: false,
      accepts_marketing: true,
      suppressed: false,
      locale: "en",
    },
    journeys: [
      {
        id: "journey:aut_1:cart_1",
        automation_id: "aut_1",
        automation_name: "Three reminders",
        outcome: null,
        started_at: "2025-03-01T10:01:00Z",
        closed_at: null,
      },
    ],
    messages: [
      {
        id: 7,
        automation_id: "aut_1",
        step_id: "email-1",
        subject: "You left something behind",
        status: "sent",
        sent_at: "2025-03-01T11:01:00Z",
        events: [
          { event: "delivered", occurred_at: "2025-03-01T11:01:05Z" },
          { event: "opened", occurred_at: "2025-03-01T12:00:00Z" },
        ],
      },
    ],
    orders: [],
    timeline: [
      { at: "2025-03-01T09:50:00Z", kind: "cart_created", summary: "Cart created with 2 items", journey_id: null },
      { at: "2025-03-01T10:00:00Z", kind: "abandoned", summary: "Abandoned", journey_id: null },
      { at: "2025-03-01T11:01:00Z", kind: "message_sent", summary: "Sent “You left something behind”", journey_id: "journey:aut_1:cart_1" },
    ],
    ...fields,
  };
}

export const TEMPLATES = [
  { id: "t1", name: "cart-reminder", description: "", current_version: 2, draft_version: null, updated_at: "2025-01-01T00:00:00Z" },
  { id: "t2", name: "draft-only", description: "", current_version: null, draft_version: 1, updated_at: "2025-01-01T00:00:00Z" },
];
