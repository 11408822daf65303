/**
 * API tokens: list, create (the secret shown once), revoke. Admins manage every role;
 * developers only ingest tokens (a shop's integration) — the API enforces it, the form offers
 * no other role to them.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import { unwrap, type Role, type Schemas } from "../api/client";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";

type TokenPublic = Schemas["TokenPublic"];
type TokenCreated = Schemas["TokenCreated"];

const ALL_ROLES: readonly Role[] = ["admin", "marketer", "developer", "support", "ingest", "storefront"];
const ROLE_HINTS: Record<Role, string> = {
  admin: "everything, including tokens and settings",
  marketer: "automations, templates and presets",
  developer: "catalog, ingest tokens, webhooks and the integrations' status",
  support: "journeys: look up, pause, resume, cancel",
  ingest: "posts the shop's events only",
  storefront: "a publishable key for the storefront snippet: cart activity from the allowed origins",
};

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function TokensSection() {
  const { api, caller } = useSession();
  const roles = caller.role === "admin" ? ALL_ROLES : (["ingest"] as const);
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/tokens", { signal })),
    [api],
  );
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<TokenPublic | null>(null);

  return (
    <section className="settings-section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="hint">
        {caller.role === "admin"
          ? "Tokens sign in to the builder and call the API; each has a role."
          : "As a developer you manage the ingest tokens your shop's integration posts events with."}
      </p>
      {created ? (
        <NewTokenSecret token={created} onDone={() => setCreated(null)} />
      ) : (
        <CreateTokenForm
          roles={roles}
          onCreated={(token) => {
            setCreated(token);
            reload();
          }}
        />
      )}
      {state.kind === "loading" ? <Loading what="tokens" /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.length === 0 ? (
          <EmptyState title="No tokens yet">
            <p>Create one above: an ingest token lets your shop post its cart and order events.</p>
          </EmptyState>
        ) : (
          <TokenTable tokens={state.data} onRevoke={setRevoking} />
        )
      ) : null}
      {revoking ? (
        <RevokeDialog
          token={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={() => {
            setRevoking(null);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

export function TokenTable({
  tokens,
  onRevoke,
  caption = "API tokens",
}: {
  tokens: readonly TokenPublic[];
  onRevoke: (token: TokenPublic) => void;
  caption?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="settings-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.name}</th>
              <td>{token.role}</td>
              <td>{formatDate(token.created_at)}</td>
              <td>
                {token.revoked_at ? (
                  <span className="badge badge--inactive">Revoked {formatDate(token.revoked_at)}</span>
                ) : (
                  <span className="badge badge--active">Active</span>
                )}
              </td>
              <td className="settings-table__actions">
                {token.revoked_at ? null : (
                  <button
                    type="button"
                    className="button--secondary button--small"
                    aria-label={`Revoke ${token.name}`}
                    onClick={() => onRevoke(token)}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CreateTokenForm({
  roles,
  onCreated,
  formLabel = "Create a token",
  nameLabel = "Token name",
  placeholder = "shop events (production)",
  submitLabel = "Create token",
}: {
  roles: readonly Role[];
  onCreated: (token: TokenCreated) => void;
  formLabel?: string;
  nameLabel?: string;
  placeholder?: string;
  submitLabel?: string;
}) {
  const { api } = useSession();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>(roles[roles.length - 1] ?? "ingest");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const ids = { name: useId(), role: useId(), roleHint: useId() };

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await unwrap(api.POST("/api/v1/tokens", { body: { name: name.trim(), role } }));
      setName("");
      onCreated(token);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="token-create" onSubmit={create} aria-label={formLabel}>
      <div className="token-create__field">
        <label htmlFor={ids.name}>{nameLabel}</label>
        <input
          id={ids.name}
          value={name}
          maxLength={200}
          placeholder={placeholder}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="token-create__field token-create__field--role">
        <label htmlFor={ids.role}>Role</label>
        <select
          id={ids.role}
          value={role}
          aria-describedby={ids.roleHint}
          onChange={(e) => setRole(e.target.value as Role)}
          disabled={roles.length === 1}
        >
          {roles.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy || name.trim() === ""}>
        {busy ? "Creating…" : submitLabel}
      </button>
      <p className="hint token-create__hint" id={ids.roleHint}>
        {role}: {ROLE_HINTS[role]}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

/** The new token's value, this once: the API keeps only its hash. */
export function NewTokenSecret({ token, onDone }: { token: TokenCreated; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);
  const id = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied("yes");
    } catch {
      // No clipboard access (an insecure origin, a denied permission): select it for Ctrl+C.
      field.current?.select();
      setCopied("select");
    }
  }

  return (
    <div className="token-secret" role="region" aria-labelledby={`${id}-title`}>
      <p id={`${id}-title`} className="token-secret__title">
        Token “{token.name}” ({token.role}) created
      </p>
      <p className="notice notice--warning" role="alert">
        Copy it now: it is shown only this once. Boomerang keeps only its hash and cannot show it
        again.
      </p>
      <label htmlFor={id}>Token value</label>
      <div className="setting-inline">
        <input
          id={id}
          ref={field}
          className="token-secret__value"
          readOnly
          value={token.token}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" className="button--secondary" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="hint" role="status">
        {copied === "yes" ? "Copied to the clipboard." : null}
        {copied === "select" ? "Selected: press Ctrl+C (⌘C) to copy." : null}
      </p>
    </div>
  );
}

export function RevokeDialog({
  token,
  onClose,
  onRevoked,
}: {
  token: TokenPublic;
  onClose: () => void;
  onRevoked: () => void;
}) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        api.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: token.id } } }),
      );
      onRevoked();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={`Revoke “${token.name}”?`}
      confirmLabel="Revoke token"
      danger
      busy={busy}
      onConfirm={() => void revoke()}
      onCancel={onClose}
    >
      <p>
        Every call made with this {token.role} token is refused from now on. This cannot be
        undone.
      </p>
      {error ? <ErrorNotice error={error} /> : null}
    </ConfirmDialog>
  );
}
