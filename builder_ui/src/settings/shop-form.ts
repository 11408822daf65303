/**
 * The Shop settings form's values, and their conversion from and to the API's
 * (`ShopValues` in, a partial `SettingsUpdate` out). Pure, so the rules are tested alone.
 */
import type { Schemas } from "../api/client";
// The definition's durations and these settings' are written alike (`90s`, `30m`, `2h`, `7d`).
import { parseDuration, type DurationUnit } from "../step-forms/duration";
import type { QuietHours } from "../step-forms/quiet-hours-input";

export type ShopValues = Schemas["ShopValues"];
export type SettingsUpdate = Schemas["SettingsUpdate"];
export type SettingName = Schemas["SettingsPublic"]["from_shop"][number];
/** The settings the Shop form edits; the storefront's origins are edited under Integrations,
 * the currency rates in their own card (src/money). */
export type ShopFormSetting = Exclude<SettingName, "storefront_origins" | "currency_rates">;

export interface DurationValue {
  amount: string;
  unit: DurationUnit;
}

export interface ShopForm {
  senderEmail: string;
  senderName: string;
  capOn: boolean;
  capEmails: string;
  capWindow: DurationValue;
  threshold: DurationValue;
  quietHours: QuietHours | null;
  requireConsent: boolean;
  clickDays: string;
  deliveryDays: string;
  keepCartsDays: string;
  keepEventsDays: string;
  keepMessagesDays: string;
}

/** Which form fields each setting owns: its errors and its "changed" check. */
export const FORM_FIELDS: Record<ShopFormSetting, readonly (keyof ShopForm)[]> = {
  sender_email: ["senderEmail"],
  sender_name: ["senderName"],
  frequency_cap: ["capOn", "capEmails", "capWindow"],
  inactivity_threshold: ["threshold"],
  default_quiet_hours: ["quietHours"],
  require_marketing_consent: ["requireConsent"],
  attribution_click_days: ["clickDays"],
  attribution_delivery_days: ["deliveryDays"],
  retention_abandoned_carts: ["keepCartsDays"],
  retention_events: ["keepEventsDays"],
  retention_messages: ["keepMessagesDays"],
};
export const SETTING_NAMES = Object.keys(FORM_FIELDS) as ShopFormSetting[];
/** The retention periods: edited (and saved) in the Data and privacy section. */
export const RETENTION_SETTINGS: readonly ShopFormSetting[] = [
  "retention_abandoned_carts",
  "retention_events",
  "retention_messages",
];
/** The settings of the Shop form: all the others. */
export const SHOP_SETTINGS: readonly ShopFormSetting[] = SETTING_NAMES.filter(
  (name) => !RETENTION_SETTINGS.includes(name),
);

/** The largest unit that shows the duration as a whole number (90m stays 90 minutes). */
export function toDurationValue(text: string): DurationValue {
  const parts = parseDuration(text);
  if (parts === null || parts.amount === 0) return { amount: "", unit: "m" };
  return { amount: String(parts.amount), unit: parts.unit };
}

export function durationText({ amount, unit }: DurationValue): string {
  return `${amount.trim()}${unit}`;
}

export function toForm(values: ShopValues): ShopForm {
  const [emails = "", window = ""] = values.frequency_cap.split("/");
  return {
    senderEmail: values.sender_email ?? "",
    senderName: values.sender_name ?? "",
    capOn: values.frequency_cap !== "",
    capEmails: emails || "1",
    capWindow: window ? toDurationValue(window) : { amount: "12", unit: "h" },
    threshold: toDurationValue(values.inactivity_threshold),
    quietHours: values.default_quiet_hours,
    requireConsent: values.require_marketing_consent,
    clickDays: String(values.attribution_click_days),
    deliveryDays: String(values.attribution_delivery_days),
    keepCartsDays: String(values.retention_abandoned_carts),
    keepEventsDays: String(values.retention_events),
    keepMessagesDays: String(values.retention_messages),
  };
}

/** What the form says for one setting, as the API takes it (`null`: the environment's). */
export function settingValue(form: ShopForm, name: ShopFormSetting): SettingsUpdate[ShopFormSetting] {
  switch (name) {
    case "sender_email":
      return form.senderEmail.trim() || null;
    case "sender_name":
      return form.senderName.trim() || null;
    case "frequency_cap":
      return form.capOn ? `${form.capEmails.trim()}/${durationText(form.capWindow)}` : "";
    case "inactivity_threshold":
      return durationText(form.threshold);
    case "default_quiet_hours": {
      const quiet = form.quietHours;
      // One key order, so `changes` compares values, not how they were spread; a zone name
      // pasted with spaces around it still names the zone.
      return quiet === null ? null : { start: quiet.start, end: quiet.end, timezone: quiet.timezone.trim() };
    }
    case "require_marketing_consent":
      return form.requireConsent;
    case "attribution_click_days":
      return days(form.clickDays);
    case "attribution_delivery_days":
      return days(form.deliveryDays);
    case "retention_abandoned_carts":
      return days(form.keepCartsDays);
    case "retention_events":
      return days(form.keepEventsDays);
    case "retention_messages":
      return days(form.keepMessagesDays);
  }
}

/** A whole number of days as typed; anything else is sent as typed, for the API to name. */
function days(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : (trimmed as unknown as number);
}

/**
 * The update to send: the settings the user changed, and `null` for those given back to the
 * environment. An untouched setting is left out, so the environment's value stays the
 * environment's (it is not copied into the shop settings). `names`: the settings of the form
 * being saved (the page has two); the others wait for their own Save.
 */
export function changes(
  initial: ShopForm,
  form: ShopForm,
  backToEnvironment: ReadonlySet<ShopFormSetting>,
  names: readonly ShopFormSetting[] = SETTING_NAMES,
): SettingsUpdate {
  const update: Record<string, unknown> = {};
  for (const name of names) {
    if (backToEnvironment.has(name)) update[name] = null;
    else if (JSON.stringify(settingValue(form, name)) !== JSON.stringify(settingValue(initial, name)))
      update[name] = settingValue(form, name);
  }
  return update as SettingsUpdate;
}

/** The setting a 422 problem's field names (`default_quiet_hours.start` → the quiet hours). */
export function settingOf(field: string): ShopFormSetting | null {
  const name = field.split(".")[0] ?? "";
  return (SETTING_NAMES as string[]).includes(name) ? (name as ShopFormSetting) : null;
}
