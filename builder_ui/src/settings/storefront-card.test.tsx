import { fireEvent, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { jsonResponse } from "../test/fixtures";
import { renderSettings } from "../test/render-settings";
import { parseOrigins, StorefrontCard } from "./storefront-card";

type Storefront = Schemas["StorefrontStatus"];
type Token = Schemas["TokenPublic"];

const STOREFRONT: Storefront = {
  origins: [],
  origins_set_here: false,
  script_url: "https://boomerang.shop.com/sdk/boomerang.js",
  endpoint: "https://boomerang.shop.com",
  live_keys: 0,
};
const KEY_VALUE = "bmr_storefront0123456789abcdef0123456789abcdef";
const ADMIN: Token = { id: "tok_admin", name: "admin", role: "admin", created_at: "2025-01-01T10:00:00Z", revoked_at: null };
const SETTINGS_ANSWER = (origins: string[]) => ({
  shop: {
    sender_email: null,
    sender_name: null,
    frequency_cap: "",
    inactivity_threshold: "30m",
    default_quiet_hours: null,
    require_marketing_consent: false,
    storefront_origins: origins,
  },
  environment: {
    sender_email: null,
    sender_name: null,
    frequency_cap: "",
    inactivity_threshold: "30m",
    default_quiet_hours: null,
    require_marketing_consent: false,
    storefront_origins: [],
  },
  from_shop: ["storefront_origins"],
  shop_name: "our shop",
  email_transport: "outbox",
  brevo_api_key_configured: false,
  public_url: "https://boomerang.shop.com",
  updated_at: "2025-01-01T10:00:00Z",
});

afterEach(() => vi.unstubAllGlobals());

describe("Storefront", () => {
  it("shows the snippet to paste, with the script and the init line", () => {
    renderSettings(<StorefrontCard storefront={STOREFRONT} onChanged={() => {}} />, { "GET /api/v1/tokens": [] });

    expect(screen.getByLabelText("Snippet to paste before </body>")).toHaveValue(
      '<script src="https://boomerang.shop.com/sdk/boomerang.js"></script>\n' +
        '<script>Boomerang.init({ key: "YOUR_STOREFRONT_KEY", endpoint: "https://boomerang.shop.com" });</script>',
    );
    expect(screen.getByText("Not configured")).toBeInTheDocument();
  });

  it("creates a storefront key, shows its value once, and lists storefront keys only", async () => {
    let tokens: Token[] = [ADMIN];
    const created = { id: "tok_sf", name: "shop pages", role: "storefront", created_at: "2025-02-01T10:00:00Z", revoked_at: null } as const;
    const onChanged = vi.fn();
    const { sent } = renderSettings(<StorefrontCard storefront={STOREFRONT} onChanged={onChanged} />, {
      "GET /api/v1/tokens": () => jsonResponse(tokens),
      "POST /api/v1/tokens": () => {
        tokens = [created, ...tokens];
        return jsonResponse({ ...created, token: KEY_VALUE }, 201);
      },
    });
    expect(await screen.findByText("No storefront keys yet")).toBeInTheDocument();

    const form = screen.getByRole("form", { name: "Create a storefront key" });
    fireEvent.change(within(form).getByLabelText("Key name"), { target: { value: "shop pages" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create key" }));

    expect(await screen.findByLabelText("Token value")).toHaveValue(KEY_VALUE);
    expect(sent.find((r) => r.method === "POST")?.body).toEqual({ name: "shop pages", role: "storefront" });
    const table = await screen.findByRole("table", { name: "Storefront keys" });
    expect(within(table).getByRole("row", { name: /shop pages/ })).toBeInTheDocument();
    expect(within(table).queryByRole("row", { name: /admin/ })).not.toBeInTheDocument();
    expect(onChanged).toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(document.body).not.toHaveTextContent(KEY_VALUE);
  });

  it("saves the allowed origins, one per line", async () => {
    const { sent } = renderSettings(<StorefrontCard storefront={STOREFRONT} onChanged={() => {}} />, {
      "GET /api/v1/tokens": [],
      "PUT /api/v1/settings": SETTINGS_ANSWER(["https://shop.example.com", "https://www.shop.example.com"]),
    });

    const origins = screen.getByLabelText("Origins the snippet may post from, one per line");
    fireEvent.change(origins, { target: { value: "https://Shop.example.com\n\n https://www.shop.example.com \n" } });
    fireEvent.click(screen.getByRole("button", { name: "Save origins" }));

    expect(await screen.findByText("Origins saved.")).toBeInTheDocument();
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([
      { storefront_origins: ["https://Shop.example.com", "https://www.shop.example.com"] },
    ]);
    // What the API kept (lower-cased), as it kept it.
    expect(origins).toHaveValue("https://shop.example.com\nhttps://www.shop.example.com");
    expect(screen.getByRole("button", { name: "Save origins" })).toBeDisabled();
  });

  it("shows the API's reason when an origin is refused", async () => {
    renderSettings(<StorefrontCard storefront={STOREFRONT} onChanged={() => {}} />, {
      "GET /api/v1/tokens": [],
      "PUT /api/v1/settings": () =>
        jsonResponse(
          {
            code: "invalid_request",
            message: "storefront_origins: Value error, ...",
            problems: [
              {
                field: "storefront_origins",
                message: "Value error, 'https://shop.example.com/cart' is not an origin such as https://shop.example.com",
              },
            ],
          },
          422,
        ),
    });

    const origins = screen.getByLabelText("Origins the snippet may post from, one per line");
    fireEvent.change(origins, { target: { value: "https://shop.example.com/cart" } });
    fireEvent.click(screen.getByRole("button", { name: "Save origins" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("is not an origin such as https://shop.example.com");
    expect(origins).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByText("Origins saved.")).not.toBeInTheDocument();
  });

  it("reads origins one per line, blank lines left out", () => {
    expect(parseOrigins(" https://a.example \n\nhttps://b.example\n")).toEqual(["https://a.example", "https://b.example"]);
  });
});
