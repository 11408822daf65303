/**
 * API tokens: list, create (the secret shown once), revoke. Admins manage every role;
 * developers only ingest tokens (a shop's integration) — the API enforces it, the form offers
 * no other role to them.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import { unwrap, type Role, type Schemas } from "../api/client";
import { formatWhen } from "../i18n/format";
import type { MessageKey } from "../i18n/catalogue";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";

type TokenPublic = Schemas["TokenPublic"];
type TokenCreated = Schemas["TokenCreated"];

const ALL_ROLES: readonly Role[] = ["admin", "marketer", "developer", "support", "ingest", "storefront"];
const ROLE_HINTS: Record<Role, MessageKey> = {
  admin: "settings.roleHint.admin",
  marketer: "settings.roleHint.marketer",
  developer: "settings.roleHint.developer",
  support: "settings.roleHint.support",
  ingest: "settings.roleHint.ingest",
  storefront: "settings.roleHint.storefront",
};
const ROLE_NAMES: Record<Role, MessageKey> = {
  admin: "settings.role.admin",
  marketer: "settings.role.marketer",
  developer: "settings.role.developer",
  support: "settings.role.support",
  ingest: "settings.role.ingest",
  storefront: "settings.role.storefront",
};

/** A role by its name in the reader's language; one the UI does not know, as the API names it. */
function roleName(t: Translate, role: string): string {
  return Object.hasOwn(ROLE_NAMES, role) ? t(ROLE_NAMES[role as Role]) : role;
}

export function TokensSection() {
  const { api, caller } = useSession();
  const t = useT();
  const roles = caller.role === "admin" ? ALL_ROLES : (["ingest"] as const);
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/tokens", { signal })),
    [api],
  );
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<TokenPublic | null>(null);

  return (
    <section className="settings-section" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{t("settings.tokens.title")}</h2>
      <p className="hint">
        {caller.role === "admin" ? t("settings.tokens.adminHint") : t("settings.tokens.developerHint")}
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
      {state.kind === "loading" ? <Loading what={t("settings.tokens.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        state.data.length === 0 ? (
          <EmptyState title={t("settings.tokens.noneTitle")}>
            <p>{t("settings.tokens.noneBody")}</p>
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
  caption,
}: {
  tokens: readonly TokenPublic[];
  onRevoke: (token: TokenPublic) => void;
  caption?: string;
}) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <div className="table-wrap">
      <table className="settings-table">
        <caption className="visually-hidden">{caption ?? t("settings.tokens.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("settings.tokens.name")}</th>
            <th scope="col">{t("settings.tokens.role")}</th>
            <th scope="col">{t("settings.tokens.created")}</th>
            <th scope="col">{t("settings.tokens.status")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("settings.tokens.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <th scope="row">{token.name}</th>
              <td>{roleName(t, token.role)}</td>
              <td>{formatWhen(token.created_at, language, "short")}</td>
              <td>
                {token.revoked_at ? (
                  <span className="badge badge--inactive">
                    {t("settings.tokens.revokedAt", { when: formatWhen(token.revoked_at, language, "short") })}
                  </span>
                ) : (
                  <span className="badge badge--active">{t("settings.tokens.active")}</span>
                )}
              </td>
              <td className="settings-table__actions">
                {token.revoked_at ? null : (
                  <button
                    type="button"
                    className="button--secondary button--small"
                    aria-label={t("settings.tokens.revokeLabel", { name: token.name })}
                    onClick={() => onRevoke(token)}
                  >
                    {t("settings.tokens.revoke")}
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
  formLabel,
  nameLabel,
  placeholder,
  submitLabel,
}: {
  roles: readonly Role[];
  onCreated: (token: TokenCreated) => void;
  formLabel?: string;
  nameLabel?: string;
  placeholder?: string;
  submitLabel?: string;
}) {
  const { api } = useSession();
  const t = useT();
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
    <form className="token-create" onSubmit={create} aria-label={formLabel ?? t("settings.tokens.createForm")}>
      <div className="token-create__field">
        <label htmlFor={ids.name}>{nameLabel ?? t("settings.tokens.tokenName")}</label>
        <input
          id={ids.name}
          value={name}
          maxLength={200}
          placeholder={placeholder ?? t("settings.tokens.placeholder")}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <div className="token-create__field token-create__field--role">
        <label htmlFor={ids.role}>{t("settings.tokens.role")}</label>
        <select
          id={ids.role}
          value={role}
          aria-describedby={ids.roleHint}
          onChange={(e) => setRole(e.target.value as Role)}
          disabled={roles.length === 1}
        >
          {roles.map((option) => (
            <option key={option} value={option}>
              {roleName(t, option)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={busy || name.trim() === ""}>
        {busy ? t("settings.tokens.creating") : (submitLabel ?? t("settings.tokens.create"))}
      </button>
      <p className="hint token-create__hint" id={ids.roleHint}>
        {t("settings.tokens.roleHint", { role: roleName(t, role), hint: t(ROLE_HINTS[role]) })}
      </p>
      {error ? <ErrorNotice error={error} /> : null}
    </form>
  );
}

/** The new token's value, this once: the API keeps only its hash. */
export function NewTokenSecret({ token, onDone }: { token: TokenCreated; onDone: () => void }) {
  const t = useT();
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
        {t("settings.tokens.createdTitle", { name: token.name, role: roleName(t, token.role) })}
      </p>
      <p className="notice notice--warning" role="alert">
        {t("settings.tokens.copyNow")}
      </p>
      <label htmlFor={id}>{t("settings.tokens.value")}</label>
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
          {t("settings.copy.button")}
        </button>
        <button type="button" className="button--secondary" onClick={onDone}>
          {t("settings.tokens.done")}
        </button>
      </div>
      <p className="hint" role="status">
        {copied === "yes" ? t("settings.copy.copied") : null}
        {copied === "select" ? t("settings.copy.selected") : null}
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
  const t = useT();
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
      title={t("settings.tokens.revokeTitle", { name: token.name })}
      confirmLabel={t("settings.tokens.revokeConfirm")}
      cancelLabel={t("settings.cancel")}
      danger
      busy={busy}
      onConfirm={() => void revoke()}
      onCancel={onClose}
    >
      <p>{t("settings.tokens.revokeBody", { role: roleName(t, token.role) })}</p>
      {error ? <ErrorNotice error={error} /> : null}
    </ConfirmDialog>
  );
}
