/**
 * The storefront: the snippet to paste in the shop's pages, its publishable keys (tokens of role
 * `storefront`, through the tokens API: the value shown once), and the origins it may post from
 * (the shop setting `storefront_origins`, through `PUT /api/v1/settings`).
 */
import { useId, useState, type FormEvent } from "react";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { CopyField } from "./copy-field";
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
  const admin = can("manage_settings");
  return (
    <section className="settings-section integration-card" aria-labelledby="integration-storefront-heading">
      <div className="integration-card__head">
        <h2 id="integration-storefront-heading">Storefront</h2>
        <span
          className={
            storefront.origins.length > 0 && storefront.live_keys > 0 ? "badge badge--active" : "badge badge--inactive"
          }
        >
          {storefront.origins.length > 0 && storefront.live_keys > 0 ? "Configured" : "Not configured"}
        </span>
      </div>
      <p className="hint">
        For shops whose platform sends no cart webhooks (WooCommerce, any custom shop): the snippet reports carts
        as they change and rebuilds a cart from a recovery link. It needs a storefront key and may only post from
        the allowed origins.
      </p>
      <CopyField label="Snippet to paste before </body>" value={snippet(storefront)} multiline />
      <p className="hint">
        Replace <code>{KEY_PLACEHOLDER}</code> with a storefront key. {storefront.live_keys}{" "}
        {storefront.live_keys === 1 ? "key is" : "keys are"} live.
      </p>
      {admin ? <StorefrontKeys onChanged={onChanged} /> : null}
      {admin ? (
        <OriginsForm storefront={storefront} onSaved={onChanged} />
      ) : (
        <dl className="settings-facts">
          <dt>Allowed origins</dt>
          <dd>{storefront.origins.length > 0 ? storefront.origins.join(", ") : "none: storefront keys are refused"}</dd>
        </dl>
      )}
    </section>
  );
}

function StorefrontKeys({ onChanged }: { onChanged: () => void }) {
  const { api } = useSession();
  const { state, reload } = useApiData((signal) => unwrap(api.GET("/api/v1/tokens", { signal })), [api]);
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<TokenPublic | null>(null);
  const changed = () => {
    reload();
    onChanged();
  };

  return (
    <div className="storefront-keys">
      <h3>Storefront keys</h3>
      {created ? (
        <NewTokenSecret token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          roles={["storefront"]}
          formLabel="Create a storefront key"
          nameLabel="Key name"
          placeholder="shop pages (production)"
          submitLabel="Create key"
          onCreated={(token) => {
            setCreated(token);
            changed();
          }}
        />
      )}
      {state.kind === "loading" ? <Loading what="storefront keys" /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.some((token) => token.role === "storefront") ? (
          <TokenTable
            caption="Storefront keys"
            tokens={state.data.filter((token) => token.role === "storefront")}
            onRevoke={setRevoking}
          />
        ) : (
          <EmptyState title="No storefront keys yet">
            <p>Create one above and put it in the snippet.</p>
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
    <form className="origins-form" onSubmit={save} aria-label="Allowed origins" noValidate>
      <h3>Allowed origins</h3>
      <label htmlFor={id}>Origins the snippet may post from, one per line</label>
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
        Scheme and host as the browser shows them, e.g. <code>https://shop.example.com</code> (no path). None: every
        storefront key is refused.{" "}
        {storefront.origins_set_here ? "Set here." : "Now the environment's (BOOMERANG_STOREFRONT_ORIGINS)."}
      </p>
      <div className="settings-actions">
        <button type="submit" disabled={busy || !dirty}>
          {busy ? "Saving…" : "Save origins"}
        </button>
        {outcome !== null && "saved" in outcome ? (
          <span className="hint" role="status">
            Origins saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
