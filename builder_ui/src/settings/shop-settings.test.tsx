import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { jsonResponse } from "../test/fixtures";
import { renderSettings } from "../test/render-settings";
import { ShopSettings } from "./shop-settings";

type SettingsPublic = Schemas["SettingsPublic"];

const ENVIRONMENT: Schemas["ShopValues"] = {
  sender_email: "env@shop.com",
  sender_name: null,
  frequency_cap: "2/1d",
  inactivity_threshold: "30m",
  default_quiet_hours: null,
  require_marketing_consent: false,
  storefront_origins: [],
  attribution_click_days: 5,
  attribution_delivery_days: 5,
  retention_abandoned_carts: 90,
  retention_events: 30,
  retention_messages: 365,
  currency_rates: null,
};
const SETTINGS: SettingsPublic = {
  shop: { ...ENVIRONMENT, sender_name: "Lamps & Co" },
  environment: ENVIRONMENT,
  from_shop: ["sender_name"],
  shop_name: "Lamp shop",
  shop_currency: "USD",
  email_transport: "brevo",
  brevo_api_key_configured: true,
  public_url: "https://boomerang.shop.com",
  updated_at: "2025-01-01T10:00:00Z",
};

afterEach(() => vi.unstubAllGlobals());

function stateOf(label: string): string {
  const row = screen.getByText(label, { selector: "label, span" }).closest(".setting-row");
  return within(row as HTMLElement).getByText(/Set here|Environment default/).textContent ?? "";
}

describe("Shop settings", () => {
  it("shows each value and whether it is the environment's default", async () => {
    renderSettings(<ShopSettings />, { "GET /api/v1/settings": SETTINGS });

    expect(await screen.findByLabelText("Sender address")).toHaveValue("env@shop.com");
    expect(screen.getByLabelText("Sender name")).toHaveValue("Lamps & Co");
    expect(stateOf("Sender name")).toBe("Set here");
    expect(stateOf("Sender address")).toBe("Environment default");
    expect(screen.getByLabelText("At most")).toHaveValue(2);
    expect(screen.getByLabelText("Cap window amount")).toHaveValue(1);
    expect(screen.getByLabelText("Cap window unit")).toHaveValue("d");
    expect(screen.getByLabelText("Inactivity threshold amount")).toHaveValue(30);
    expect(screen.getByLabelText("Inactivity threshold unit")).toHaveValue("m");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("shows the delivery transport and whether a Brevo key is configured, never a key", async () => {
    renderSettings(<ShopSettings />, { "GET /api/v1/settings": SETTINGS });

    const delivery = await screen.findByRole("region", { name: "Email delivery" });
    expect(delivery).toHaveTextContent(/Transport\s*Brevo/);
    expect(delivery).toHaveTextContent(/Brevo API key\s*configured/);
    expect(delivery).not.toHaveTextContent(/xkeysib/);
  });

  it("saves only what changed and shows the values saved", async () => {
    const saved: SettingsPublic = {
      ...SETTINGS,
      shop: { ...SETTINGS.shop, inactivity_threshold: "1h" },
      from_shop: ["sender_name", "inactivity_threshold"],
    };
    const { sent } = renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": saved,
    });

    fireEvent.change(await screen.findByLabelText("Inactivity threshold amount"), { target: { value: "1" } });
    fireEvent.change(screen.getByLabelText("Inactivity threshold unit"), { target: { value: "h" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([{ inactivity_threshold: "1h" }]);
    expect(stateOf("Inactivity threshold")).toBe("Set here");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
  });

  it("shows the API's error beside the field it names", async () => {
    renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": () =>
        jsonResponse(
          {
            code: "invalid_request",
            message: "frequency_cap: Value error, the cap's window must be longer than zero",
            problems: [{ field: "frequency_cap", message: "Value error, the cap's window must be longer than zero" }],
          },
          422,
        ),
    });

    fireEvent.change(await screen.findByLabelText("Cap window amount"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const group = screen.getByRole("group", { name: "Frequency cap" });
    expect(await within(group).findByRole("alert")).toHaveTextContent("the cap's window must be longer than zero");
    expect(screen.getByText("Not saved: correct the settings marked above.")).toBeInTheDocument();
    expect(screen.queryByText("Settings saved.")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save" })).toBeEnabled();
  });

  it("gives a setting back to the environment", async () => {
    const { sent } = renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": { ...SETTINGS, shop: ENVIRONMENT, from_shop: [] },
    });

    fireEvent.click(await screen.findByRole("button", { name: "Use the environment's value" }));
    expect(stateOf("Sender name")).toBe("Environment default after saving");
    expect(screen.getByLabelText("Sender name")).toHaveValue("");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await screen.findByText("Settings saved.");
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([{ sender_name: null }]);
    expect(stateOf("Sender name")).toBe("Environment default");
  });

  it("sets default quiet hours in another time zone", async () => {
    const { sent } = renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": SETTINGS,
    });

    const off = await screen.findByLabelText("Hold messages during quiet hours");
    expect(off).toHaveAccessibleDescription("No default quiet hours.");
    fireEvent.click(off);
    fireEvent.change(screen.getByLabelText("Quiet from"), { target: { value: "22:00" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Time zone" }), { target: { value: "other" } });
    fireEvent.change(screen.getByLabelText("Time zone name"), { target: { value: "Europe/Paris " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(sent.some((r) => r.method === "PUT")).toBe(true));
    expect(sent.find((r) => r.method === "PUT")?.body).toEqual({
      default_quiet_hours: { start: "22:00", end: "08:00", timezone: "Europe/Paris" },
    });
  });

  it("sends a time zone name the API does not know, and shows its problem in the quiet hours", async () => {
    const { sent } = renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": () =>
        jsonResponse(
          {
            code: "invalid_request",
            message: "default_quiet_hours.timezone: Value error, unknown time zone 'Mars/Olympus'",
            problems: [{ field: "default_quiet_hours.timezone", message: "Value error, unknown time zone 'Mars/Olympus'" }],
          },
          422,
        ),
    });

    fireEvent.click(await screen.findByLabelText("Hold messages during quiet hours"));
    fireEvent.change(screen.getByRole("combobox", { name: "Time zone" }), { target: { value: "other" } });
    fireEvent.change(screen.getByLabelText("Time zone name"), { target: { value: "Mars/Olympus" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const group = screen.getByRole("group", { name: "Default quiet hours" });
    expect(await within(group).findByRole("alert")).toHaveTextContent("unknown time zone 'Mars/Olympus'");
    expect(sent.find((r) => r.method === "PUT")?.body).toEqual({
      default_quiet_hours: { start: "21:00", end: "08:00", timezone: "Mars/Olympus" },
    });
    expect(screen.getByLabelText("Time zone name")).toHaveValue("Mars/Olympus");
  });

  it("shows an error with a retry when the settings cannot load", async () => {
    renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": () => jsonResponse({ code: "forbidden", message: "a marketer token cannot do this" }, 403),
    });

    expect(await screen.findByRole("alert")).toHaveTextContent("a marketer token cannot do this");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
  it("requires marketing consent to enter automations when switched on", async () => {
    const saved: SettingsPublic = {
      ...SETTINGS,
      shop: { ...SETTINGS.shop, require_marketing_consent: true },
      from_shop: ["sender_name", "require_marketing_consent"],
    };
    const { sent } = renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": saved,
    });

    const consent = await screen.findByRole("checkbox", { name: /Only customers who accept marketing enter automations/ });
    expect(consent).not.toBeChecked();
    fireEvent.click(consent);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await screen.findByText("Settings saved.");
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([{ require_marketing_consent: true }]);
    expect(consent).toBeChecked();
    expect(stateOf("Marketing consent")).toBe("Set here");
  });

  it("keeps the retention periods in Data and privacy, saved apart from the Shop form", async () => {
    const saved: SettingsPublic = {
      ...SETTINGS,
      shop: { ...SETTINGS.shop, retention_events: 14 },
      from_shop: ["sender_name", "retention_events"],
    };
    const { sent } = renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": saved,
      "GET /api/v1/privacy/retention-runs": { runs: [] },
      "GET /api/v1/privacy/data-requests": { requests: [] },
    });

    const privacy = await screen.findByRole("region", { name: "Data and privacy" });
    const carts = within(privacy).getByLabelText("Abandoned carts");
    expect(carts).toHaveValue(90);
    expect(carts).toHaveAccessibleDescription(/Environment default\s*days/);
    expect(within(privacy).getByText(/Carts never recovered are deleted this many days after their last activity/)).toBeInTheDocument();
    expect(within(privacy).getByLabelText("Event bodies")).toHaveValue(30);
    expect(within(privacy).getByLabelText("Sent emails")).toHaveValue(365);

    // An unsaved edit of the Shop form stays unsaved when the retention periods are saved.
    fireEvent.change(screen.getByLabelText("Sender address"), { target: { value: "hello@shop.com" } });
    fireEvent.change(within(privacy).getByLabelText("Event bodies"), { target: { value: "14" } });
    fireEvent.click(within(privacy).getByRole("button", { name: "Save retention periods" }));

    expect(await within(privacy).findByText("Retention periods saved.")).toBeInTheDocument();
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([{ retention_events: 14 }]);
    expect(stateOf("Event bodies")).toBe("Set here");
    expect(within(privacy).getByRole("button", { name: "Save retention periods" })).toBeDisabled();
    expect(screen.getByLabelText("Sender address")).toHaveValue("hello@shop.com");
    expect(screen.getByRole("button", { name: "Save" })).toBeEnabled();
  });

  it("shows the API's refusal of a retention period beside it", async () => {
    renderSettings(<ShopSettings />, {
      "GET /api/v1/settings": SETTINGS,
      "PUT /api/v1/settings": () =>
        jsonResponse(
          {
            code: "invalid_request",
            message: "retention_messages: Input should be greater than or equal to 1",
            problems: [{ field: "retention_messages", message: "Input should be greater than or equal to 1" }],
          },
          422,
        ),
      "GET /api/v1/privacy/retention-runs": { runs: [] },
      "GET /api/v1/privacy/data-requests": { requests: [] },
    });

    const privacy = await screen.findByRole("region", { name: "Data and privacy" });
    fireEvent.change(within(privacy).getByLabelText("Sent emails"), { target: { value: "0" } });
    fireEvent.click(within(privacy).getByRole("button", { name: "Save retention periods" }));

    const row = within(privacy).getByLabelText("Sent emails").closest(".setting-row") as HTMLElement;
    expect(await within(row).findByRole("alert")).toHaveTextContent("Input should be greater than or equal to 1");
    expect(within(privacy).getByText("Not saved: correct the settings marked above.")).toBeInTheDocument();
    // Only the retention form says so: the Shop form was not saved, nor asked to be.
    expect(screen.getAllByText("Not saved: correct the settings marked above.")).toHaveLength(1);
  });
});
