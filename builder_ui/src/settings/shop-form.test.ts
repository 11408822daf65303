import { describe, expect, it } from "vitest";
import { durationSeconds } from "../step-forms/duration";
import {
  changes,
  RETENTION_SETTINGS,
  settingOf,
  SHOP_SETTINGS,
  toDurationValue,
  toForm,
  type ShopValues,
} from "./shop-form";

const ENVIRONMENT: ShopValues = {
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

describe("durations", () => {
  it("reads the API's compact form and shows it in the largest whole unit", () => {
    expect(durationSeconds("1d2h")).toBe(93600);
    expect(durationSeconds("soon")).toBeNull();
    expect(toDurationValue("90m")).toEqual({ amount: "90", unit: "m" });
    expect(toDurationValue("2h")).toEqual({ amount: "2", unit: "h" });
    expect(toDurationValue("1d")).toEqual({ amount: "1", unit: "d" });
    expect(toDurationValue("45s")).toEqual({ amount: "45", unit: "s" });
  });
});

describe("changes", () => {
  it("sends nothing for untouched settings, so the environment's stay the environment's", () => {
    const form = toForm(ENVIRONMENT);
    expect(changes(form, form, new Set())).toEqual({});
  });

  it("sends each edited setting in the API's spelling", () => {
    const initial = toForm(ENVIRONMENT);
    const edited = {
      ...initial,
      capEmails: "3",
      capWindow: { amount: "12", unit: "h" as const },
      threshold: { amount: "1", unit: "h" as const },
      quietHours: { start: "21:00", end: "08:00", timezone: " Europe/Paris " },
    };
    expect(changes(initial, edited, new Set())).toEqual({
      frequency_cap: "3/12h",
      inactivity_threshold: "1h",
      default_quiet_hours: { start: "21:00", end: "08:00", timezone: "Europe/Paris" },
    });
  });

  it("turns the cap off with an empty cap, and gives settings back with null", () => {
    const initial = toForm({ ...ENVIRONMENT, sender_name: "Lamps" });
    const edited = { ...initial, capOn: false, senderName: "" };
    expect(changes(initial, edited, new Set(["sender_email"]))).toEqual({
      sender_email: null,
      sender_name: null,
      frequency_cap: "",
    });
  });

  it("sends the attribution windows as whole days, and what is not one as typed for the API to name", () => {
    const initial = toForm(ENVIRONMENT);
    expect(changes(initial, { ...initial, clickDays: " 7 " }, new Set())).toEqual({ attribution_click_days: 7 });
    expect(changes(initial, { ...initial, deliveryDays: "two" }, new Set())).toEqual({
      attribution_delivery_days: "two",
    });
  });

  it("sends the retention periods as whole days, each form only its own settings", () => {
    const initial = toForm(ENVIRONMENT);
    const edited = { ...initial, senderName: "Lamps", keepCartsDays: "30", keepMessagesDays: " 180 " };
    expect(changes(initial, edited, new Set(), RETENTION_SETTINGS)).toEqual({
      retention_abandoned_carts: 30,
      retention_messages: 180,
    });
    expect(changes(initial, edited, new Set(["retention_events"]), SHOP_SETTINGS)).toEqual({ sender_name: "Lamps" });
    expect(changes(initial, edited, new Set(["retention_events"]), RETENTION_SETTINGS)).toEqual({
      retention_abandoned_carts: 30,
      retention_events: null,
      retention_messages: 180,
    });
  });

  it("turns quiet hours off with null, and sees the same window as unchanged", () => {
    const initial = toForm({
      ...ENVIRONMENT,
      default_quiet_hours: { timezone: "shop", end: "07:00", start: "22:00" },
    });
    const same = { ...initial, quietHours: { start: "22:00", end: "07:00", timezone: "shop" } };
    expect(changes(initial, same, new Set())).toEqual({});
    expect(changes(initial, { ...initial, quietHours: null }, new Set())).toEqual({ default_quiet_hours: null });
  });

  it("names the setting a problem's field belongs to", () => {
    expect(settingOf("default_quiet_hours.start")).toBe("default_quiet_hours");
    expect(settingOf("frequency_cap")).toBe("frequency_cap");
    expect(settingOf("")).toBeNull();
  });
});
