import type { Schemas } from "../api/client";

/** Shop settings with nothing of the shop's own: what tests of the settings pages start from. */
export const SHOP_VALUES: Schemas["ShopValues"] = {
  sender_email: null,
  sender_name: null,
  frequency_cap: "",
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
