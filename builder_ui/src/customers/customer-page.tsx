/**
 * `/customers?email=`: support and admins find a customer by address and see what Boomerang
 * holds about them (their facts, and how many records of each kind); they download it all as
 * one JSON file (a customer's request for their data), or erase it (a request to be forgotten),
 * which needs the address typed again.
 */
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { ApiError, unwrap } from "../api/client";
import { formatWhen } from "../i18n/format";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
import { rich } from "../i18n/rich-text";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Fact } from "../ui/fact";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import {
  downloadExport,
  heldLines,
  type CustomerFacts,
  type CustomerSummary,
  type Erasure,
} from "./customer-data";
import "./customers.css";

export function CustomerPage() {
  const { can } = useSession();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const email = params.get("email")?.trim() ?? "";
  if (!can("manage_customers")) {
    return <ErrorNotice error={t("customers.forbidden")} />;
  }
  return (
    <section className="customers">
      <h1>{t("customers.title")}</h1>
      <p className="hint">{t("customers.intro")}</p>
      <SearchForm key={`search:${email}`} initial={email} onSearch={(next) => setParams({ email: next })} />
      {email === "" ? null : <Customer key={email} email={email} />}
    </section>
  );
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (email: string) => void }) {
  const t = useT();
  const [text, setText] = useState(initial);
  const [blank, setBlank] = useState(false);

  function search(event: FormEvent) {
    event.preventDefault();
    const email = text.trim();
    setBlank(email === "");
    if (email !== "") onSearch(email);
  }

  return (
    <>
      <form className="customers__search" role="search" aria-label={t("customers.search.form")} onSubmit={search} noValidate>
        <div className="customers__search-field">
          <label htmlFor="customer-search">{t("customers.search.label")}</label>
          <input
            id="customer-search"
            type="email"
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-describedby="customer-search-hint"
            aria-invalid={blank || undefined}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit">{t("customers.search.find")}</button>
      </form>
      <p id="customer-search-hint" className="hint">
        {blank ? t("customers.search.blank") : t("customers.search.hint")}
      </p>
    </>
  );
}

/** What the API said was wrong with the search, in plain words. */
function searchError(t: Translate, error: Error): string {
  if (error instanceof ApiError && error.status === 422) {
    const problem = error.problems[0];
    return t("customers.search.invalid", { problem: problem?.message ?? error.message });
  }
  return error.message;
}

function Customer({ email }: { email: string }) {
  const { api } = useSession();
  const t = useT();
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/customers/summary", { params: { query: { email } }, signal })),
    [api, email],
  );
  const [erasure, setErasure] = useState<Erasure | null>(null);

  if (state.kind === "loading") return <Loading what={t("customers.loading")} />;
  if (state.kind === "error") return <ErrorNotice error={searchError(t, state.error)} onRetry={reload} />;
  return (
    <Summary
      summary={state.data}
      erasure={erasure}
      onErased={(done) => {
        setErasure(done);
        reload();
      }}
    />
  );
}

function Summary({
  summary,
  erasure,
  onErased,
}: {
  summary: CustomerSummary;
  erasure: Erasure | null;
  onErased: (erasure: Erasure) => void;
}) {
  const t = useT();
  const held = heldLines(t, summary.held);
  const [erasing, setErasing] = useState(false);
  return (
    <div className="customers__found" role="region" aria-labelledby="customer-heading">
      <h2 id="customer-heading">{summary.email}</h2>
      {erasure !== null ? <ErasureReport erasure={erasure} /> : null}
      {summary.erased_before && erasure === null ? (
        <p className="notice">{t("customers.erasedBefore")}</p>
      ) : null}
      {summary.customer !== null ? <Facts customer={summary.customer} /> : null}
      <h3>{t("customers.held.title")}</h3>
      {held.length === 0 ? (
        <EmptyState title={t("customers.held.noneTitle")}>
          <p>{t("customers.held.noneBody")}</p>
        </EmptyState>
      ) : (
        <ul className="customers__held" aria-label={t("customers.held.title")}>
          {held.map(({ kind, text }) => (
            <li key={kind}>{text}</li>
          ))}
        </ul>
      )}
      <div className="customers__actions">
        <ExportButton email={summary.email} />
        {held.length > 0 ? (
          <button type="button" className="button--danger" onClick={() => setErasing(true)}>
            {t("customers.erase.open")}
          </button>
        ) : null}
      </div>
      {erasing ? (
        <EraseDialog
          email={summary.email}
          onClose={() => setErasing(false)}
          onErased={(done) => {
            setErasing(false);
            onErased(done);
          }}
        />
      ) : null}
    </div>
  );
}

function text(value: string | null): string | null {
  return value !== null && value.trim() !== "" ? value : null;
}

function Facts({ customer }: { customer: CustomerFacts }) {
  const t = useT();
  const { language } = useLanguage();
  const yesNo = (value: boolean | null, yes: string, no: string) =>
    value === true ? yes : value === false ? no : t("customers.facts.notTold");
  const notGiven = t("customers.facts.notGiven");
  const name = [text(customer.first_name), text(customer.last_name)].filter(Boolean).join(" ");
  const tags = customer.tags ?? [];
  return (
    <dl className="customers__facts" aria-label={t("customers.facts.label")}>
      <Fact term={t("customers.facts.name")}>{name || notGiven}</Fact>
      <Fact term={t("customers.facts.id")}>
        <code>{customer.id}</code>
      </Fact>
      <Fact term={t("customers.facts.marketing")}>
        {yesNo(customer.accepts_marketing, t("customers.facts.yes"), t("customers.facts.no"))}
      </Fact>
      <Fact term={t("customers.facts.account")}>
        {yesNo(customer.registered, t("customers.facts.registered"), t("customers.facts.guest"))}
      </Fact>
      <Fact term={t("customers.facts.language")}>{text(customer.locale) ?? notGiven}</Fact>
      <Fact term={t("customers.facts.timeZone")}>{text(customer.timezone) ?? notGiven}</Fact>
      <Fact term={t("customers.facts.tags")}>
        {tags.length > 0 ? tags.join(t("customers.list.separator")) : t("customers.facts.none")}
      </Fact>
      <Fact term={t("customers.facts.firstSeen")}>{formatWhen(customer.created_at, language)}</Fact>
    </dl>
  );
}

function ExportButton({ email }: { email: string }) {
  const { api } = useSession();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      await downloadExport(api, email);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button type="button" className="button--secondary" onClick={() => void download()} disabled={busy}>
        {busy ? t("customers.export.preparing") : t("customers.export.download")}
      </button>
      {error !== null ? <ErrorNotice error={t("customers.export.failed", { error })} /> : null}
    </>
  );
}

function EraseDialog({
  email,
  onClose,
  onErased,
}: {
  email: string;
  onClose: () => void;
  onErased: (erasure: Erasure) => void;
}) {
  const { api } = useSession();
  const t = useT();
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const matches = typed.trim() === email;

  async function erase() {
    setBusy(true);
    setError(null);
    try {
      onErased(await unwrap(api.POST("/api/v1/customers/erase", { body: { email } })));
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      title={t("customers.erase.title", { email })}
      confirmLabel={busy ? t("customers.erase.erasing") : t("customers.erase.open")}
      cancelLabel={t("customers.erase.cancel")}
      danger
      busy={busy}
      confirmDisabled={!matches}
      onConfirm={() => void erase()}
      onCancel={onClose}
    >
      <p>{t("customers.erase.body")}</p>
      <label htmlFor="erase-confirm">{t("customers.erase.confirmLabel")}</label>
      <input
        id="erase-confirm"
        type="email"
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
        aria-describedby="erase-confirm-hint"
        autoComplete="off"
        spellCheck={false}
      />
      <p id="erase-confirm-hint" className="hint">
        {matches ? t("customers.erase.matches") : rich(t("customers.erase.typeExactly"), { email: <strong>{email}</strong> })}
      </p>
      {error !== null ? <ErrorNotice error={t("customers.erase.failed", { error: error.message })} /> : null}
    </ConfirmDialog>
  );
}

function ErasureReport({ erasure }: { erasure: Erasure }) {
  const t = useT();
  const removed = heldLines(t, erasure.removed);
  return (
    <div className="notice customers__erased" role="status">
      {erasure.erased ? (
        <>
          <p className="customers__erased-title">{t("customers.erased.title")}</p>
          <ul aria-label={t("customers.erased.removed")}>
            {removed.map(({ kind, text: line }) => (
              <li key={kind}>{line}</li>
            ))}
          </ul>
          <p>{t("customers.erased.cancelled", { count: erasure.journeys_cancelled })}</p>
        </>
      ) : (
        <p>{t("customers.erased.nothing")}</p>
      )}
      {erasure.journeys_not_reached > 0 ? (
        <p>{t("customers.erased.notReached", { count: erasure.journeys_not_reached })}</p>
      ) : null}
    </div>
  );
}
