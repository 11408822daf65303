/**
 * Admins' shop settings: the "Shop" form (sender, frequency cap, inactivity threshold, default
 * quiet hours, whether marketing consent is required to enter automations), each marked as the environment's default or set here, "Email delivery"
 * (the transport, whether a Brevo key is configured: never the key), and "Data and privacy"
 * (the retention periods, the purge's runs, the data requests shop platforms forwarded).
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useSession } from "../session/session";
import { DURATION_UNITS, type DurationUnit } from "../step-forms/duration";
import { QuietHoursInput } from "../step-forms/quiet-hours-input";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { DataRequests, RetentionRuns } from "./privacy-section";
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
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/settings", { signal })),
    [api],
  );
  if (state.kind === "loading") return <Loading what="shop settings" />;
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
      setOutcome(group, { error: marked ? new Error("Not saved: correct the settings marked above.") : failure });
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
        <span id={`setting-${name}-unit`}>days</span>
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
            {saving === group ? "Saving…" : saveLabel}
          </button>
          {dirty(group) ? null : <span className="hint">No unsaved changes.</span>}
        </div>
      </>
    );
  };

  return (
    <>
      <section className="settings-section" aria-labelledby="shop-heading">
        <h2 id="shop-heading">Shop</h2>
        <p className="hint">
          Each setting falls back to the server's environment (<code>BOOMERANG_…</code>) until you
          set it here. Changes apply to the next email and the next abandonment check.
        </p>
        <form onSubmit={(event) => void save("shop", event)} noValidate>
          {row(
            "sender_email",
            "Sender address",
            <input
              id="setting-sender_email"
              type="email"
              value={form.senderEmail}
              placeholder="Not set"
              aria-describedby="setting-sender_email-state"
              onChange={(e) => edit("sender_email", { senderEmail: e.target.value })}
            />,
            "Emails go out from this address (a sender verified in Brevo). Empty: the environment's.",
          )}
          {row(
            "sender_name",
            "Sender name",
            <input
              id="setting-sender_name"
              value={form.senderName}
              maxLength={70}
              placeholder={settings.shop_name}
              aria-describedby="setting-sender_name-state"
              onChange={(e) => edit("sender_name", { senderName: e.target.value })}
            />,
            <>Empty: the shop's name ({settings.shop_name}).</>,
          )}
          {row(
            "frequency_cap",
            "Frequency cap",
            <FrequencyCapControl form={form} onChange={(patch) => edit("frequency_cap", patch)} />,
            "Across all automations; a capped email waits until the cap allows it.",
          )}
          {row(
            "inactivity_threshold",
            "Inactivity threshold",
            <DurationControl
              id="setting-inactivity_threshold"
              label="Inactivity threshold"
              value={form.threshold}
              onChange={(threshold) => edit("inactivity_threshold", { threshold })}
            />,
            "A cart idle this long is abandoned.",
          )}
          {row(
            "default_quiet_hours",
            "Default quiet hours",
            <QuietHoursInput
              idPrefix="setting-quiet"
              value={form.quietHours}
              label="Hold messages during quiet hours"
              hint={form.quietHours === null ? "No default quiet hours." : undefined}
              onChange={(quietHours) => edit("default_quiet_hours", { quietHours })}
            />,
            "For automations that set no quiet hours of their own; applies to journeys that start afterwards.",
          )}
          {row(
            "require_marketing_consent",
            "Marketing consent",
            <label className="setting-check">
              <input
                id="setting-require_marketing_consent"
                type="checkbox"
                checked={form.requireConsent}
                aria-describedby="setting-require_marketing_consent-state"
                onChange={(e) => edit("require_marketing_consent", { requireConsent: e.target.checked })}
              />
              Only customers who accept marketing enter automations
            </label>,
            <>
              Off: every cart with an email address may enter. On: only carts whose customer the shop
              reports as accepting marketing (<code>customer.accepts_marketing</code>); the others
              are kept but never enrolled. Applies to the next enrolment.
            </>,
          )}
          {row(
            "attribution_click_days",
            "Attribution: clicked within",
            <input
              id="setting-attribution_click_days"
              type="number"
              min={0}
              max={365}
              value={form.clickDays}
              aria-describedby="setting-attribution_click_days-state"
              onChange={(e) => edit("attribution_click_days", { clickDays: e.target.value })}
            />,
            "Days: a recovery belongs to the last email the customer clicked this long before it.",
          )}
          {row(
            "attribution_delivery_days",
            "Attribution: delivered within",
            <input
              id="setting-attribution_delivery_days"
              type="number"
              min={0}
              max={365}
              value={form.deliveryDays}
              aria-describedby="setting-attribution_delivery_days-state"
              onChange={(e) => edit("attribution_delivery_days", { deliveryDays: e.target.value })}
            />,
            "Days: with no click, to the last email delivered this long before it; else to none (Results).",
          )}
          {footer("shop", "Settings saved.", "Save")}
        </form>
      </section>
      <EmailDelivery settings={settings} />
      <section className="settings-section" aria-labelledby="privacy-heading">
        <h2 id="privacy-heading">Data and privacy</h2>
        <p className="hint">
          How long personal data is kept. The purge runs every hour and removes what is past its
          time; recovered carts and orders are the shop's sales records and stay.
        </p>
        <form
          aria-labelledby="retention-heading"
          onSubmit={(event) => void save("retention", event)}
          noValidate
        >
          <h3 id="retention-heading">Retention</h3>
          {daysRow(
            "retention_abandoned_carts",
            "keepCartsDays",
            "Abandoned carts",
            "Carts never recovered are deleted this many days after their last activity, with their items; only their counts stay in the results.",
          )}
          {daysRow(
            "retention_events",
            "keepEventsDays",
            "Event bodies",
            "The raw body of each event received is kept this many days, then emptied.",
          )}
          {daysRow(
            "retention_messages",
            "keepMessagesDays",
            "Sent emails",
            "A sent email's address, subject and body are kept this many days, then emptied.",
          )}
          {footer("retention", "Retention periods saved.", "Save retention periods")}
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
          {pendingReset ? "Environment default after saving" : setHere ? "Set here" : "Environment default"}
        </span>
        {setHere ? (
          <button type="button" className="button--secondary button--small" onClick={onUseEnvironment}>
            Use the environment's value
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
  return (
    <div className="setting-inline">
      <label className="setting-check">
        <input
          type="checkbox"
          checked={form.capOn}
          onChange={(e) => onChange({ capOn: e.target.checked })}
        />
        Limit emails per customer
      </label>
      {form.capOn ? (
        <>
          <label htmlFor="setting-cap-emails">At most</label>
          <input
            id="setting-cap-emails"
            className="input--narrow"
            type="number"
            min={1}
            step={1}
            value={form.capEmails}
            onChange={(e) => onChange({ capEmails: e.target.value })}
          />
          <span>emails per</span>
          <DurationControl
            id="setting-cap-window"
            label="Cap window"
            value={form.capWindow}
            onChange={(capWindow) => onChange({ capWindow })}
          />
        </>
      ) : (
        <span className="hint">Off: no cap.</span>
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
  return (
    <span className="setting-inline">
      <input
        id={id}
        className="input--narrow"
        type="number"
        min={1}
        step={1}
        aria-label={`${label} amount`}
        value={value.amount}
        onChange={(e) => onChange({ ...value, amount: e.target.value })}
      />
      <select
        aria-label={`${label} unit`}
        value={value.unit}
        onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })}
      >
        {DURATION_UNITS.map(({ unit, label: name }) => (
          <option key={unit} value={unit}>
            {name}
          </option>
        ))}
      </select>
    </span>
  );
}

function EmailDelivery({ settings }: { settings: SettingsPublic }) {
  return (
    <section className="settings-section" aria-labelledby="delivery-heading">
      <h2 id="delivery-heading">Email delivery</h2>
      <dl className="settings-facts">
        <dt>Transport</dt>
        <dd>
          {settings.email_transport === "brevo"
            ? "Brevo (emails are sent through Brevo's API)"
            : "Outbox (emails are stored, not sent: for development)"}
        </dd>
        <dt>Brevo API key</dt>
        <dd>{settings.brevo_api_key_configured ? "configured" : "not configured"}</dd>
        <dt>Links in emails point to</dt>
        <dd>
          <code>{settings.public_url}</code>
        </dd>
      </dl>
      <p className="hint">
        These come from the server's environment (<code>BOOMERANG_EMAIL_TRANSPORT</code>,{" "}
        <code>BOOMERANG_BREVO_API_KEY</code>, <code>BOOMERANG_PUBLIC_URL</code>); the key is never
        shown.
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
