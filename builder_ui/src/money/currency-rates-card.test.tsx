import { fireEvent, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { jsonResponse } from "../test/fixtures";
import { renderSettings } from "../test/render-settings";
import { SHOP_VALUES } from "../test/settings-fixtures";
import { CurrencyRatesCard, ratesOf } from "./currency-rates-card";

type SettingsPublic = Schemas["SettingsPublic"];
type Rates = Schemas["CurrencyRates"];

const VALUES = SHOP_VALUES;

function settings(rates: Rates | null): SettingsPublic {
  return {
    shop: { ...VALUES, currency_rates: rates },
    environment: VALUES,
    from_shop: rates ? ["currency_rates"] : [],
    shop_name: "Lamp shop",
    shop_currency: "USD",
    email_transport: "outbox",
    brevo_api_key_configured: false,
    public_url: "https://boomerang.shop.com",
    updated_at: null,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe("CurrencyRatesCard", () => {
  it("says no rates are set, then saves the rates typed and shows their date", async () => {
    const kept = { rates: { EUR: "1.08", KRW: "0.00072" }, set_on: "2026-12-03" };
    const { sent } = renderSettings(<CurrencyRatesCard />, {
      "GET /api/v1/settings": settings(null),
      "PUT /api/v1/settings": settings(kept),
    });

    expect(await screen.findByText("No rates set: amounts in other currencies are never converted.")).toBeInTheDocument();
    expect(screen.getByText(/worth in the shop's currency, USD/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Add a rate" }));
    fireEvent.change(screen.getByLabelText("Currency of row 1"), { target: { value: "eur" } });
    fireEvent.change(screen.getByLabelText("Rate of EUR"), { target: { value: "1.08" } });
    fireEvent.click(screen.getByRole("button", { name: "Add a rate" }));
    fireEvent.change(screen.getByLabelText("Currency of row 2"), { target: { value: "KRW" } });
    fireEvent.change(screen.getByLabelText("Rate of KRW"), { target: { value: "0.00072" } });
    fireEvent.click(screen.getByRole("button", { name: "Save rates" }));

    expect(await screen.findByText("Rates saved.")).toBeInTheDocument();
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([
      { currency_rates: { rates: { EUR: "1.08", KRW: "0.00072" } } },
    ]);
    expect(screen.getByText("2 rates. Set on 2026-12-03.")).toBeInTheDocument();
  });

  it("stops converting: the rates go", async () => {
    const { sent } = renderSettings(<CurrencyRatesCard />, {
      "GET /api/v1/settings": settings({ rates: { EUR: "1.08" }, set_on: "2026-12-01" }),
      "PUT /api/v1/settings": settings(null),
    });

    expect(await screen.findByLabelText("Rate of EUR")).toHaveValue("1.08");
    expect(screen.getByText("1 rate. Set on 2026-12-01.")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Stop converting" }));

    expect(await screen.findByText("Rates removed: amounts are no longer converted.")).toBeInTheDocument();
    expect(sent.filter((r) => r.method === "PUT").map((r) => r.body)).toEqual([{ currency_rates: null }]);
    expect(screen.queryByLabelText("Rate of EUR")).not.toBeInTheDocument();
  });

  it("marks the rate the API refused, with its reason", async () => {
    renderSettings(<CurrencyRatesCard />, {
      "GET /api/v1/settings": settings(null),
      "PUT /api/v1/settings": () =>
        jsonResponse(
          {
            code: "invalid_request",
            message: "currency_rates.rates.EUR: Input should be greater than 0",
            problems: [{ field: "currency_rates.rates.EUR", message: "Input should be greater than 0" }],
          },
          422,
        ),
    });

    fireEvent.click(await screen.findByRole("button", { name: "Add a rate" }));
    fireEvent.change(screen.getByLabelText("Currency of row 1"), { target: { value: "EUR" } });
    fireEvent.change(screen.getByLabelText("Rate of EUR"), { target: { value: "0" } });
    fireEvent.click(screen.getByRole("button", { name: "Save rates" }));

    expect(await screen.findByText("Input should be greater than 0")).toBeInTheDocument();
    expect(screen.getByLabelText("Rate of EUR")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Not saved: correct the rates marked above.")).toBeInTheDocument();
  });

  it("sends codes in capitals and leaves blank rows out", () => {
    expect(
      ratesOf([
        { key: 1, code: "eur ", rate: " 1.08" },
        { key: 2, code: "", rate: "" },
      ]),
    ).toEqual({ EUR: "1.08" });
  });
});
