/**
 * The storefront: the snippet to paste in the shop's pages, its publishable keys (tokens of role
 * `storefront`, through the tokens API: the value shown once), and the origins it may post from
 * (the shop setting `storefront_origins`, through `PUT /api/v1/settings`).
 */
import { useId, useState, type FormEvent } from "react";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { CopyField } from "./copy-field";
import { rich } from "../i18n/rich-text";
import { CreateTokenForm, NewTokenSecret, RevokeDialog, TokenTable } from "./tokens-section";

type Storefront = Schemas["StorefrontStatus"];
type TokenPublic = Schemas["TokenPublic"];
type TokenCreated = Schemas["TokenCreated"];

const KEY_PLACEHOLDER = "YOUR_STOREFRONT_KEY";

/** The two lines a shop pastes before `</body>`. */
export function snippet(storefront: Storefront, key: string = KEY_PLACEHOLDER): string {
  return [
    `<script src="${storefront.script_url}"></script>`,
    `<script>Boomerang.init({ key: "${key}", endpoint: "${storefront.endpoint}" });</script>`,
  ].join("\n");
}

/** The origins typed one per line, as the API takes them (blank lines left out). */
export function parseOrigins(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

export function StorefrontCard({ storefront, onChanged }: { storefront: Storefront; onChanged: () => void }) {
  const { can } = useSession();
  const t = useT();
  const admin = can("manage_settings");
  return (
    <section className="settings-section integration-card" aria-labelledby="integration-storefront-heading">
      <div className="integration-card__head">
        <h2 id="integration-storefront-heading">{t("settings.storefront.title")}</h2>
        <span
          className={
            storefront.origins.length > 0 && storefront.live_keys > 0 ? "badge badge--active" : "badge badge--inactive"
          }
        >
          {storefront.origins.length > 0 && storefront.live_keys > 0
            ? t("settings.configured")
            : t("settings.notConfigured")}
        </span>
      </div>
      <p className="hint">{t("settings.storefront.hint")}</p>
      <CopyField label={t("settings.storefront.snippet")} value={snippet(storefront)} multiline />
      <p className="hint">
        {rich(t("settings.storefront.replace"), { placeholder: <code>{KEY_PLACEHOLDER}</code> })}{" "}
        {t("settings.storefront.live", { count: storefront.live_keys })}
      </p>
      {admin ? <StorefrontKeys onChanged={onChanged} /> : null}
      {admin ? (
        <OriginsForm storefront={storefront} onSaved={onChanged} />
      ) : (
        <dl className="settings-facts">
          <dt>{t("settings.storefront.origins")}</dt>
          <dd>
            {storefront.origins.length > 0
              ? storefront.origins.join(t("settings.list.separator"))
              : t("settings.storefront.noOrigins")}
          </dd>
        </dl>
      )}
    </section>
  );
}

function StorefrontKeys({ onChanged }: { onChanged: () => void }) {
  const { api } = useSession();
  const t = useT();
  const { state, reload } = useApiData((signal) => unwrap(api.GET("/api/v1/tokens", { signal })), [api]);
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<TokenPublic | null>(null);
  const changed = () => {
    reload();
    onChanged();
  };

  return (
    <div className="storefront-keys">
      <h3>{t("settings.storefront.keys")}</h3>
      {created ? (
        <NewTokenSecret token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          roles={["storefront"]}
          formLabel={t("settings.storefront.createKey")}
          nameLabel={t("settings.storefront.keyName")}
          placeholder={t("settings.storefront.keyPlaceholder")}
          submitLabel={t("settings.storefront.create")}
          onCreated={(token) => {
            setCreated(token);
            changed();
          }}
        />
      )}
      {state.kind === "loading" ? <Loading what={t("settings.storefront.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.some((token) => token.role === "storefront") ? (
          <TokenTable
            caption={t("settings.storefront.keys")}
            tokens={state.data.filter((token) => token.role === "storefront")}
            onRevoke={setRevoking}
          />
        ) : (
          <EmptyState title={t("settings.storefront.noKeysTitle")}>
            <p>{t("settings.storefront.noKeysBody")}</p>
          </EmptyState>
        )
      ) : null}
      {revoking ? (
        <RevokeDialog
          token={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setRevoking(null);
            changed();
          }}
        />
      ) : null}
    </div>
  );
}

function OriginsForm({ storefront, onSaved }: { storefront: Storefront; onSaved: () => void }) {
  const { api } = useSession();
  const t = useT();
  const [text, setText] = useState(storefront.origins.join("\n"));
  const [saved, setSaved] = useState<readonly string[]>(storefront.origins);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ saved: true } | { error: string } | null>(null);
  const id = useId();
  const dirty = JSON.stringify(parseOrigins(text)) !== JSON.stringify(saved);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const answer = await unwrap(api.PUT("/api/v1/settings", { body: { storefront_origins: parseOrigins(text) } }));
      const origins = answer.shop.storefront_origins;
      setSaved(origins);
      setText(origins.join("\n"));
      setOutcome({ saved: true });
      onSaved();
    } catch (failure) {
      const problem = failure instanceof ApiError ? failure.problems.find((p) => p.field.startsWith("storefront_origins")) : undefined;
      setOutcome({ error: problem?.message ?? (failure instanceof Error ? failure.message : String(failure)) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="origins-form" onSubmit={save} aria-label={t("settings.storefront.origins")} noValidate>
      <h3>{t("settings.storefront.origins")}</h3>
      <label htmlFor={id}>{t("settings.storefront.originsLabel")}</label>
      <textarea
        id={id}
        rows={Math.max(3, parseOrigins(text).length + 1)}
        value={text}
        placeholder="https://shop.example.com"
        aria-describedby={`${id}-hint${outcome && "error" in outcome ? ` ${id}-error` : ""}`}
        aria-invalid={outcome !== null && "error" in outcome}
        onChange={(e) => {
          setText(e.target.value);
          setOutcome(null);
        }}
      />
      {outcome !== null && "error" in outcome ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {outcome.error}
        </p>
      ) : null}
      <p className="hint" id={`${id}-hint`}>
        {rich(t("settings.storefront.originsHint"), { example: <code>https://shop.example.com</code> })}{" "}
        {storefront.origins_set_here ? t("settings.storefront.originsHere") : t("settings.storefront.originsEnvironment")}
      </p>
      <div className="settings-actions">
        <button type="submit" disabled={busy || !dirty}>
          {busy ? t("settings.saving") : t("settings.storefront.saveOrigins")}
        </button>
        {outcome !== null && "saved" in outcome ? (
          <span className="hint" role="status">
            {t("settings.storefront.originsSaved")}
          </span>
        ) : null}
      </div>
    </form>
  );
}
