import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { jsonResponse } from "../test/fixtures";
import { renderSettings } from "../test/render-settings";
import { IntegrationsSection } from "./integrations-section";

type Status = Schemas["IntegrationsStatus"];
type PlatformStatus = Schemas["PlatformStatus"];

const NO_DELIVERIES = { applied: 0, duplicate: 0, ignored: 0, failed: 0 };
const SHOPIFY: PlatformStatus = {
  platform: "shopify",
  configured: true,
  webhook_url: "https://boomerang.shop.com/api/v1/integrations/shopify/webhooks",
  secret_setting: "BOOMERANG_SHOPIFY_WEBHOOK_SECRET",
  secret_configured: true,
  admin_api_configured: false,
  issues_discount_codes: true,
  last_delivery: {
    topic: "products/update",
    result: "ignored",
    detail: "topic 'products/update' is not one we map",
    received_at: "2025-03-01T10:00:00Z",
    times_received: 1,
  },
  deliveries_by_result: { ...NO_DELIVERIES, applied: 12, ignored: 3 },
  unknown_topics: [
    { topic: "products/update", count: 2, last_seen: "2025-03-01T10:00:00Z" },
    { topic: "themes/publish", count: 1, last_seen: "2025-02-01T10:00:00Z" },
  ],
};
const WOO: PlatformStatus = {
  platform: "woocommerce",
  configured: false,
  webhook_url: "https://boomerang.shop.com/api/v1/integrations/woocommerce/webhooks",
  secret_setting: "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET",
  secret_configured: false,
  admin_api_configured: false,
  issues_discount_codes: false,
  last_delivery: null,
  deliveries_by_result: NO_DELIVERIES,
  unknown_topics: [],
};
const STATUS: Status = {
  discount_provider: "shopify",
  platforms: [SHOPIFY, WOO],
  storefront: {
    origins: ["https://shop.example.com"],
    origins_set_here: true,
    script_url: "https://boomerang.shop.com/sdk/boomerang.js",
    endpoint: "https://boomerang.shop.com",
    live_keys: 1,
  },
};

afterEach(() => vi.unstubAllGlobals());

function card(name: string): HTMLElement {
  return screen.getByRole("region", { name });
}

describe("Integrations", () => {
  it("shows each platform's state, webhook URL, last delivery and unknown topics", async () => {
    renderSettings(<IntegrationsSection />, { "GET /api/v1/integrations": STATUS, "GET /api/v1/tokens": [] });

    const shopify = await screen.findByRole("region", { name: "Shopify" });
    expect(within(shopify).getByText("Configured")).toBeInTheDocument();
    expect(within(shopify).getByLabelText("Shopify webhook URL")).toHaveValue(SHOPIFY.webhook_url);
    expect(within(shopify).getByText("Webhook secret", { selector: "dt" }).nextElementSibling).toHaveTextContent(
      "set (BOOMERANG_SHOPIFY_WEBHOOK_SECRET)",
    );
    expect(within(shopify).getByText("Last delivery", { selector: "dt" }).nextElementSibling).toHaveTextContent(
      /products\/update: ignored, .* — topic 'products\/update' is not one we map/,
    );
    expect(within(shopify).getByText("Deliveries", { selector: "dt" }).nextElementSibling).toHaveTextContent(
      "applied 12 · duplicate 0 · ignored 3 · failed 0",
    );
    const topics = within(shopify).getByRole("table", { name: /Topics Shopify sent that Boomerang does not use/ });
    expect(within(topics).getByRole("row", { name: /products\/update 2/ })).toBeInTheDocument();
    // Codes are to be made in Shopify, whose Admin API is not set up: said plainly.
    expect(within(shopify).getByText(/its Admin API is not configured/)).toBeInTheDocument();

    const woo = card("WooCommerce");
    expect(within(woo).getByText("Not configured")).toBeInTheDocument();
    expect(within(woo).getByText("Webhook secret", { selector: "dt" }).nextElementSibling).toHaveTextContent(
      "not set: set BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET",
    );
    expect(within(woo).getByText("Last delivery", { selector: "dt" }).nextElementSibling).toHaveTextContent("none received yet");
    expect(within(woo).queryByRole("table")).not.toBeInTheDocument();
  });

  it("copies a webhook URL", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    renderSettings(<IntegrationsSection />, { "GET /api/v1/integrations": STATUS, "GET /api/v1/tokens": [] });

    fireEvent.click(await screen.findByRole("button", { name: "Copy WooCommerce webhook URL" }));

    expect(await within(card("WooCommerce")).findByText("Copied to the clipboard.")).toBeInTheDocument();
    expect(writeText).toHaveBeenCalledWith(WOO.webhook_url);
  });

  it("sends a test event and shows what it became, then the new last delivery", async () => {
    let status = STATUS;
    const { sent } = renderSettings(<IntegrationsSection />, {
      "GET /api/v1/integrations": () => jsonResponse(status),
      "GET /api/v1/tokens": [],
      "POST /api/v1/integrations/shopify/test": () => {
        const delivery = { ...SHOPIFY.last_delivery!, topic: "checkouts/update", result: "applied" as const, detail: "" };
        status = { ...STATUS, platforms: [{ ...SHOPIFY, last_delivery: delivery }, WOO] };
        return jsonResponse({
          platform: "shopify",
          topic: "checkouts/update",
          delivery_id: "boomerang-test-1",
          result: "applied",
          events: ["shopify_boomerang-test-1:0"],
          detail: "",
        });
      },
    });

    const shopify = await screen.findByRole("region", { name: "Shopify" });
    fireEvent.click(within(shopify).getByRole("button", { name: "Send a test event to Shopify's webhook" }));

    expect((await within(shopify).findByText(/^Test event/)).closest("p")).toHaveTextContent(
      "Test event checkouts/update: applied — turned into events.",
    );
    expect(sent.filter((r) => r.method === "POST").map((r) => r.path)).toEqual(["/api/v1/integrations/shopify/test"]);
    await within(shopify).findByText("checkouts/update", { selector: "dd code" });
  });

  it("shows why a test event is refused", async () => {
    renderSettings(<IntegrationsSection />, {
      "GET /api/v1/integrations": STATUS,
      "GET /api/v1/tokens": [],
      "POST /api/v1/integrations/woocommerce/test": () =>
        jsonResponse(
          { code: "not_configured", message: "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET is not set: ..." },
          409,
        ),
    });

    const woo = await screen.findByRole("region", { name: "WooCommerce" });
    fireEvent.click(within(woo).getByRole("button", { name: /Send a test event/ }));

    expect(await within(woo).findByRole("alert")).toHaveTextContent("BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET is not set");
  });

  it("lets developers read it all, without the admins' controls", async () => {
    const { sent } = renderSettings(<IntegrationsSection />, { "GET /api/v1/integrations": STATUS }, "developer");

    const shopify = await screen.findByRole("region", { name: "Shopify" });
    expect(within(shopify).getByLabelText("Shopify webhook URL")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Send a test event/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Create a storefront key" })).not.toBeInTheDocument();
    expect(card("Storefront")).toHaveTextContent(/Allowed origins\s*https:\/\/shop.example.com/);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v1/integrations"]);
  });
});
