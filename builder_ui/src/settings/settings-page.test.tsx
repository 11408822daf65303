import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderSettings } from "../test/render-settings";
import { SettingsPage } from "./settings-page";

const SETTINGS = {
  shop: { sender_email: null, sender_name: null, frequency_cap: "", inactivity_threshold: "30m", default_quiet_hours: null, require_marketing_consent: false, storefront_origins: [], attribution_click_days: 5, attribution_delivery_days: 5, retention_abandoned_carts: 90, retention_events: 30, retention_messages: 365 },
  environment: { sender_email: null, sender_name: null, frequency_cap: "", inactivity_threshold: "30m", default_quiet_hours: null, require_marketing_consent: false, storefront_origins: [], attribution_click_days: 5, attribution_delivery_days: 5, retention_abandoned_carts: 90, retention_events: 30, retention_messages: 365 },
  from_shop: [],
  shop_name: "our shop",
  email_transport: "outbox",
  brevo_api_key_configured: false,
  public_url: "http://127.0.0.1:8000",
  updated_at: null,
};

afterEach(() => vi.unstubAllGlobals());

describe("Settings page", () => {
  it("shows admins the shop, email delivery, data and privacy, and tokens", async () => {
    renderSettings(<SettingsPage />, {
      "GET /api/v1/settings": SETTINGS,
      "GET /api/v1/tokens": [],
      "GET /api/v1/privacy/retention-runs": { runs: [] },
      "GET /api/v1/privacy/data-requests": { requests: [] },
    });

    expect(await screen.findByRole("heading", { name: "Shop" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Email delivery" })).toBeInTheDocument();
    expect(screen.getByText(/Brevo API key/).nextElementSibling).toHaveTextContent("not configured");
    expect(screen.getByRole("heading", { name: "Data and privacy" })).toBeInTheDocument();
    expect(await screen.findByText("No purge has run yet")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "API tokens" })).toBeInTheDocument();
  });

  it("shows developers their tokens only, and never asks for the shop settings", async () => {
    const { sent } = renderSettings(<SettingsPage />, { "GET /api/v1/tokens": [] }, "developer");

    expect(await screen.findByRole("heading", { name: "API tokens" })).toBeInTheDocument();
    await screen.findByText("No tokens yet");
    expect(screen.queryByRole("heading", { name: "Shop" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Email delivery" })).not.toBeInTheDocument();
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v1/tokens"]);
  });

  it("tells a role without settings that there is nothing to set", () => {
    const { sent } = renderSettings(<SettingsPage />, {}, "marketer");

    expect(screen.getByText("Nothing to set here")).toBeInTheDocument();
    expect(sent).toEqual([]);
  });
});

describe("Settings tabs", () => {
  it("offers admins and developers the Integrations tab, and opens it", async () => {
    const status = {
      discount_provider: "builtin",
      platforms: [],
      storefront: { origins: [], origins_set_here: false, script_url: "http://x/sdk/boomerang.js", endpoint: "http://x", live_keys: 0 },
    };
    renderSettings(<SettingsPage tab="integrations" />, { "GET /api/v1/integrations": status, "GET /api/v1/tokens": [] }, "developer");

    const tabs = screen.getByRole("navigation", { name: "Settings sections" });
    expect(within(tabs).getByRole("link", { name: "General" })).toHaveAttribute("href", "/settings");
    expect(within(tabs).getByRole("link", { name: "Integrations" })).toHaveAttribute("href", "/settings/integrations");
    expect(await screen.findByRole("heading", { name: "Storefront" })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "API tokens" })).not.toBeInTheDocument();
  });
});
