/**
 * Admins' shop settings: the "Shop" form (sender, frequency cap, inactivity threshold, default
 * quiet hours, whether marketing consent is required to enter automations), each marked as the environment's default or set here, "Email delivery"
 * (the transport, whether a Brevo key is configured: never the key), and "Data and privacy"
 * (the retention periods, the purge's runs, the data requests shop platforms forwarded).
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { DURATION_UNITS, type DurationUnit } from "../step-forms/duration";
import { QuietHoursInput } from "../step-forms/quiet-hours-input";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { DataRequests, RetentionRuns } from "./privacy-section";
import { rich } from "../i18n/rich-text";
import {
  changes,
  FORM_FIELDS,
  RETENTION_SETTINGS,
  settingOf,
  SHOP_SETTINGS,
  toForm,
  type DurationValue,
  type ShopForm,
  type ShopFormSetting,
} from "./shop-form";

type SettingsPublic = Schemas["SettingsPublic"];

export function ShopSettings() {
  const { api } = useSession();
  const t = useT();
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/settings", { signal })),
    [api],
  );
  if (state.kind === "loading") return <Loading what={t("settings.shop.loading")} />;
  if (state.kind === "error") return <ErrorNotice error={state.error} onRetry={reload} />;
  return <LoadedSettings key={state.data.updated_at ?? "environment"} settings={state.data} />;
}

type Group = "shop" | "retention";
type Outcome = { saved: true } | { error: ApiError | Error } | null;
const GROUPS: Record<Group, readonly ShopFormSetting[]> = { shop: SHOP_SETTINGS, retention: RETENTION_SETTINGS };

function groupOf(name: ShopFormSetting): Group {
  return RETENTION_SETTINGS.includes(name) ? "retention" : "shop";
}

/**
 * Two forms over one set of settings: the Shop form and the retention periods (in Data and
 * privacy). Each saves only its own settings; the other's unsaved edits stay as they are.
 */
function LoadedSettings({ settings: loaded }: { settings: SettingsPublic }) {
  const { api } = useSession();
  const t = useT();
  const [settings, setSettings] = useState(loaded);
  const [initial, setInitial] = useState(() => toForm(loaded.shop));
  const [form, setForm] = useState(initial);
  const [backToEnvironment, setBackToEnvironment] = useState<ReadonlySet<ShopFormSetting>>(new Set());
  const [saving, setSaving] = useState<Group | null>(null);
  const [outcomes, setOutcomes] = useState<Record<Group, Outcome>>({ shop: null, retention: null });
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<ShopFormSetting, string>>>({});

  const fromShop = new Set(settings.from_shop);
  const updateOf = (group: Group) => changes(initial, form, backToEnvironment, GROUPS[group]);
  const dirty = (group: Group) => Object.keys(updateOf(group)).length > 0;
  const setOutcome = (group: Group, outcome: Outcome) =>
    setOutcomes((current) => ({ ...current, [group]: outcome }));

  function edit(name: ShopFormSetting, patch: Partial<ShopForm>) {
    setForm((current) => ({ ...current, ...patch }));
    setBackToEnvironment((current) => without(current, [name]));
    setOutcome(groupOf(name), null);
  }

  function giveBackToEnvironment(name: ShopFormSetting) {
    const environment = toForm(settings.environment);
    const patch = Object.fromEntries(FORM_FIELDS[name].map((field) => [field, environment[field]]));
    setForm((current) => ({ ...current, ...patch }));
    setBackToEnvironment((current) => new Set([...current, name]));
    setOutcome(groupOf(name), null);
  }

  async function save(group: Group, event: FormEvent) {
    event.preventDefault();
    const names = GROUPS[group];
    setSaving(group);
    setOutcome(group, null);
    setFieldErrors((current) => omit(current, names));
    try {
      const saved = await unwrap(api.PUT("/api/v1/settings", { body: updateOf(group) }));
      const next = toForm(saved.shop);
      const savedFields = Object.fromEntries(
        names.flatMap((name) => FORM_FIELDS[name]).map((field) => [field, next[field]]),
      );
      setSettings(saved);
      setInitial(next);
      setForm((current) => ({ ...current, ...savedFields }));
      setBackToEnvironment((current) => without(current, names));
      setOutcome(group, { saved: true });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      const problems = failure instanceof ApiError ? byField(failure) : {};
      setFieldErrors((current) => ({ ...current, ...problems }));
      // The fields say what is wrong; the notice only says that nothing was saved.
      const marked = Object.keys(problems).length > 0;
      setOutcome(group, { error: marked ? new Error(t("settings.shop.notSaved")) : failure });
    } finally {
      setSaving(null);
    }
  }

  const row = (name: ShopFormSetting, label: string, control: ReactNode, hint?: ReactNode) => (
    <SettingRow
      name={name}
      label={label}
      hint={hint}
      setHere={backToEnvironment.has(name) ? false : fromShop.has(name)}
      pendingReset={backToEnvironment.has(name)}
      error={fieldErrors[name]}
      onUseEnvironment={() => giveBackToEnvironment(name)}
    >
      {control}
    </SettingRow>
  );

  const daysRow = (name: ShopFormSetting, field: DaysField, label: string, hint: ReactNode) =>
    row(
      name,
      label,
      <span className="setting-inline">
        <input
          id={`setting-${name}`}
          className="input--narrow"
          type="number"
          min={1}
          max={3650}
          step={1}
          value={form[field]}
          aria-describedby={`setting-${name}-state setting-${name}-unit`}
          onChange={(e) => edit(name, { [field]: e.target.value })}
        />
        <span id={`setting-${name}-unit`}>{t("settings.retention.days")}</span>
      </span>,
      hint,
    );

  const footer = (group: Group, savedText: string, saveLabel: string) => {
    const outcome = outcomes[group];
    return (
      <>
        {outcome !== null && "error" in outcome ? <ErrorNotice error={outcome.error} /> : null}
        {outcome !== null && "saved" in outcome ? (
          <p className="notice" role="status">
            {savedText}
          </p>
        ) : null}
        <div className="settings-actions">
          <button type="submit" disabled={saving !== null || !dirty(group)}>
            {saving === group ? t("settings.saving") : saveLabel}
          </button>
          {dirty(group) ? null : <span className="hint">{t("settings.shop.noChanges")}</span>}
        </div>
      </>
    );
  };

  return (
    <>
      <section className="settings-section" aria-labelledby="shop-heading">
        <h2 id="shop-heading">{t("settings.shop.title")}</h2>
        <p className="hint">{rich(t("settings.shop.hint"), { variables: <code>BOOMERANG_…</code> })}</p>
        <form onSubmit={(event) => void save("shop", event)} noValidate>
          {row(
            "sender_email",
            t("settings.shop.senderEmail"),
            <input
              id="setting-sender_email"
              type="email"
              value={form.senderEmail}
              placeholder={t("settings.shop.notSet")}
              aria-describedby="setting-sender_email-state"
              onChange={(e) => edit("sender_email", { senderEmail: e.target.value })}
            />,
            t("settings.shop.senderEmailHint"),
          )}
          {row(
            "sender_name",
            t("settings.shop.senderName"),
            <input
              id="setting-sender_name"
              value={form.senderName}
              maxLength={70}
              placeholder={settings.shop_name}
              aria-describedby="setting-sender_name-state"
              onChange={(e) => edit("sender_name", { senderName: e.target.value })}
            />,
            t("settings.shop.senderNameHint", { name: settings.shop_name }),
          )}
          {row(
            "frequency_cap",
            t("settings.shop.frequencyCap"),
            <FrequencyCapControl form={form} onChange={(patch) => edit("frequency_cap", patch)} />,
            t("settings.shop.frequencyCapHint"),
          )}
          {row(
            "inactivity_threshold",
            t("settings.shop.threshold"),
            <DurationControl
              id="setting-inactivity_threshold"
              label={t("settings.shop.threshold")}
              value={form.threshold}
              onChange={(threshold) => edit("inactivity_threshold", { threshold })}
            />,
            t("settings.shop.thresholdHint"),
          )}
          {row(
            "default_quiet_hours",
            t("settings.shop.quietHours"),
            <QuietHoursInput
              idPrefix="setting-quiet"
              value={form.quietHours}
              label={t("settings.shop.quietHoursToggle")}
              hint={form.quietHours === null ? t("settings.shop.quietHoursOff") : undefined}
              onChange={(quietHours) => edit("default_quiet_hours", { quietHours })}
            />,
            t("settings.shop.quietHoursHint"),
          )}
          {row(
            "require_marketing_consent",
            t("settings.shop.consent"),
            <label className="setting-check">
              <input
                id="setting-require_marketing_consent"
                type="checkbox"
                checked={form.requireConsent}
                aria-describedby="setting-require_marketing_consent-state"
                onChange={(e) => edit("require_marketing_consent", { requireConsent: e.target.checked })}
              />
              {t("settings.shop.consentToggle")}
            </label>,
            rich(t("settings.shop.consentHint"), { field: <code>customer.accepts_marketing</code> }),
          )}
          {row(
            "attribution_click_days",
            t("settings.shop.clickDays"),
            <input
              id="setting-attribution_click_days"
              type="number"
              min={0}
              max={365}
              value={form.clickDays}
              aria-describedby="setting-attribution_click_days-state"
              onChange={(e) => edit("attribution_click_days", { clickDays: e.target.value })}
            />,
            t("settings.shop.clickDaysHint"),
          )}
          {row(
            "attribution_delivery_days",
            t("settings.shop.deliveryDays"),
            <input
              id="setting-attribution_delivery_days"
              type="number"
              min={0}
              max={365}
              value={form.deliveryDays}
              aria-describedby="setting-attribution_delivery_days-state"
              onChange={(e) => edit("attribution_delivery_days", { deliveryDays: e.target.value })}
            />,
            t("settings.shop.deliveryDaysHint"),
          )}
          {footer("shop", t("settings.shop.saved"), t("settings.shop.save"))}
        </form>
      </section>
      <EmailDelivery settings={settings} />
      <section className="settings-section" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">{t("settings.privacy.title")}</h2>
        <p className="hint">{t("settings.privacy.hint")}</p>
        <form
          aria-labelledby="retention-heading"
          onSubmit={(event) => void save("retention", event)}
          noValidate
        >
          <h3 id="retention-heading">{t("settings.retention.title")}</h3>
          {daysRow(
            "retention_abandoned_carts",
            "keepCartsDays",
            t("settings.retention.carts"),
            t("settings.retention.cartsHint"),
          )}
          {daysRow(
            "retention_events",
            "keepEventsDays",
            t("settings.retention.events"),
            t("settings.retention.eventsHint"),
          )}
          {daysRow(
            "retention_messages",
            "keepMessagesDays",
            t("settings.retention.messages"),
            t("settings.retention.messagesHint"),
          )}
          {footer("retention", t("settings.retention.saved"), t("settings.retention.save"))}
        </form>
        <RetentionRuns />
        <DataRequests />
      </section>
    </>
  );
}

function SettingRow({
  name,
  label,
  hint,
  setHere,
  pendingReset,
  error,
  onUseEnvironment,
  children,
}: {
  name: ShopFormSetting;
  label: string;
  hint?: ReactNode;
  setHere: boolean;
  pendingReset: boolean;
  error: string | undefined;
  onUseEnvironment: () => void;
  children: ReactNode;
}) {
  const t = useT();
  const grouped = name === "frequency_cap" || name === "default_quiet_hours";
  const heading = grouped ? (
    <span id={`setting-${name}-label`} className="setting-row__label">
      {label}
    </span>
  ) : (
    <label htmlFor={`setting-${name}`}>{label}</label>
  );
  const body = (
    <>
      <div className="setting-row__head">
        {heading}
        <span id={`setting-${name}-state`} className={setHere ? "badge badge--active" : "badge badge--inactive"}>
          {pendingReset
            ? t("settings.row.pendingReset")
            : setHere
              ? t("settings.row.setHere")
              : t("settings.row.environment")}
        </span>
        {setHere ? (
          <button type="button" className="button--secondary button--small" onClick={onUseEnvironment}>
            {t("settings.row.useEnvironment")}
          </button>
        ) : null}
      </div>
      {children}
      {error ? (
        <p className="field-error" id={`setting-${name}-error`} role="alert">
          {error}
        </p>
      ) : null}
      {hint ? <p className="hint">{hint}</p> : null}
    </>
  );
  return grouped ? (
    <div
      className="setting-row"
      role="group"
      aria-labelledby={`setting-${name}-label`}
      aria-describedby={`setting-${name}-state`}
    >
      {body}
    </div>
  ) : (
    <div className="setting-row">{body}</div>
  );
}

function FrequencyCapControl({
  form,
  onChange,
}: {
  form: ShopForm;
  onChange: (patch: Partial<ShopForm>) => void;
}) {
  const t = useT();
  return (
    <div className="setting-inline">
      <label className="setting-check">
        <input
          type="checkbox"
          checked={form.capOn}
          onChange={(e) => onChange({ capOn: e.target.checked })}
        />
        {t("settings.shop.capOn")}
      </label>
      {form.capOn ? (
        <>
          <label htmlFor="setting-cap-emails">{t("settings.shop.capAtMost")}</label>
          <input
            id="setting-cap-emails"
            className="input--narrow"
            type="number"
            min={1}
            step={1}
            value={form.capEmails}
            onChange={(e) => onChange({ capEmails: e.target.value })}
          />
          <span>{t("settings.shop.capEmailsPer")}</span>
          <DurationControl
            id="setting-cap-window"
            label={t("settings.shop.capWindow")}
            value={form.capWindow}
            onChange={(capWindow) => onChange({ capWindow })}
          />
        </>
      ) : (
        <span className="hint">{t("settings.shop.capOff")}</span>
      )}
    </div>
  );
}

function DurationControl({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: DurationValue;
  onChange: (value: DurationValue) => void;
}) {
  const t = useT();
  return (
    <span className="setting-inline">
      <input
        id={id}
        className="input--narrow"
        type="number"
        min={1}
        step={1}
        aria-label={t("settings.duration.amount", { label })}
        value={value.amount}
        onChange={(e) => onChange({ ...value, amount: e.target.value })}
      />
      <select
        aria-label={t("settings.duration.unit", { label })}
        value={value.unit}
        onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })}
      >
        {DURATION_UNITS.map(({ unit }) => (
          <option key={unit} value={unit}>
            {t(`settings.duration.${unit}`)}
          </option>
        ))}
      </select>
    </span>
  );
}

function EmailDelivery({ settings }: { settings: SettingsPublic }) {
  const t = useT();
  return (
    <section className="settings-section" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">{t("settings.delivery.title")}</h2>
      <dl className="settings-facts">
        <dt>{t("settings.delivery.transport")}</dt>
        <dd>
          {settings.email_transport === "brevo" ? t("settings.delivery.brevo") : t("settings.delivery.outbox")}
        </dd>
        <dt>{t("settings.delivery.brevoKey")}</dt>
        <dd>
          {settings.brevo_api_key_configured
            ? t("settings.delivery.configured")
            : t("settings.delivery.notConfigured")}
        </dd>
        <dt>{t("settings.delivery.links")}</dt>
        <dd>
          <code>{settings.public_url}</code>
        </dd>
      </dl>
      <p className="hint">
        {rich(t("settings.delivery.hint"), {
          transport: <code>BOOMERANG_EMAIL_TRANSPORT</code>,
          key: <code>BOOMERANG_BREVO_API_KEY</code>,
          url: <code>BOOMERANG_PUBLIC_URL</code>,
        })}
      </p>
    </section>
  );
}

type DaysField = "keepCartsDays" | "keepEventsDays" | "keepMessagesDays";

function without<T>(set: ReadonlySet<T>, items: readonly T[]): ReadonlySet<T> {
  if (!items.some((item) => set.has(item))) return set;
  const next = new Set(set);
  for (const item of items) next.delete(item);
  return next;
}

function omit<K extends string, V>(record: Partial<Record<K, V>>, keys: readonly K[]): Partial<Record<K, V>> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key as K))) as Partial<
    Record<K, V>
  >;
}

/** The first problem the API named for each setting. */
function byField(error: ApiError): Partial<Record<ShopFormSetting, string>> {
  const found: Partial<Record<ShopFormSetting, string>> = {};
  for (const problem of error.problems) {
    const name = settingOf(problem.field);
    if (name !== null && found[name] === undefined) found[name] = problem.message;
  }
  return found;
}
