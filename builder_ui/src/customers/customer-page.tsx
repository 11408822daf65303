/**
 * `/customers?email=`: support and admins find a customer by address and see what Boomerang
 * holds about them (their facts, and how many records of each kind); they download it all as
 * one JSON file (a customer's request for their data), or erase it (a request to be forgotten),
 * which needs the address typed again.
 */
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { ApiError, unwrap } from "../api/client";
import { formatWhen } from "../journeys/journey-format";
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

const SEARCH_LABEL = "Customer email";

export function CustomerPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const email = params.get("email")?.trim() ?? "";
  if (!can("manage_customers")) {
    return <ErrorNotice error="Customers are for support and admin tokens; this token's role cannot open them." />;
  }
  return (
    <section className="customers">
      <h1>Customers</h1>
      <p className="hint">
        Find what Boomerang holds about a customer, download it for them, or erase it when they
        ask to be forgotten.
      </p>
      <SearchForm key={`search:${email}`} initial={email} onSearch={(next) => setParams({ email: next })} />
      {email === "" ? null : <Customer key={email} email={email} />}
    </section>
  );
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (email: string) => void }) {
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
      <form className="customers__search" role="search" aria-label="Find a customer" onSubmit={search} noValidate>
        <div className="customers__search-field">
          <label htmlFor="customer-search">{SEARCH_LABEL}</label>
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
        <button type="submit">Find</button>
      </form>
      <p id="customer-search-hint" className="hint">
        {blank ? "Type the customer's email address first." : "The whole address, in any case."}
      </p>
    </>
  );
}

/** What the API said was wrong with the search, in plain words. */
function searchError(error: Error): string {
  if (error instanceof ApiError && error.status === 422) {
    const problem = error.problems[0];
    return `That is not an address Boomerang can look up: ${problem?.message ?? error.message}`;
  }
  return error.message;
}

function Customer({ email }: { email: string }) {
  const { api } = useSession();
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/customers/summary", { params: { query: { email } }, signal })),
    [api, email],
  );
  const [erasure, setErasure] = useState<Erasure | null>(null);

  if (state.kind === "loading") return <Loading what="what is held about this customer" />;
  if (state.kind === "error") return <ErrorNotice error={searchError(state.error)} onRetry={reload} />;
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
  const held = heldLines(summary.held);
  const [erasing, setErasing] = useState(false);
  return (
    <div className="customers__found" role="region" aria-labelledby="customer-heading">
      <h2 id="customer-heading">{summary.email}</h2>
      {erasure !== null ? <ErasureReport erasure={erasure} /> : null}
      {summary.erased_before && erasure === null ? (
        <p className="notice">
          This address was erased before. Boomerang keeps only a salted hash of it, so it is never
          emailed again.
        </p>
      ) : null}
      {summary.customer !== null ? <Facts customer={summary.customer} /> : null}
      <h3>What is held</h3>
      {held.length === 0 ? (
        <EmptyState title="Nothing is held about this address">
          <p>No customer, cart, order, email or event names it.</p>
        </EmptyState>
      ) : (
        <ul className="customers__held" aria-label="What is held">
          {held.map(({ kind, text }) => (
            <li key={kind}>{text}</li>
          ))}
        </ul>
      )}
      <div className="customers__actions">
        <ExportButton email={summary.email} />
        {held.length > 0 ? (
          <button type="button" className="button--danger" onClick={() => setErasing(true)}>
            Erase this customer
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

function yesNo(value: boolean | null, yes: string, no: string): string {
  return value === true ? yes : value === false ? no : "Not told by the shop";
}

function Facts({ customer }: { customer: CustomerFacts }) {
  const name = [text(customer.first_name), text(customer.last_name)].filter(Boolean).join(" ");
  const tags = customer.tags ?? [];
  return (
    <dl className="customers__facts" aria-label="The customer">
      <Fact term="Name">{name || "Not given"}</Fact>
      <Fact term="Customer id">
        <code>{customer.id}</code>
      </Fact>
      <Fact term="Accepts marketing">{yesNo(customer.accepts_marketing, "Yes", "No")}</Fact>
      <Fact term="Account">{yesNo(customer.registered, "Registered", "Guest")}</Fact>
      <Fact term="Language">{text(customer.locale) ?? "Not given"}</Fact>
      <Fact term="Time zone">{text(customer.timezone) ?? "Not given"}</Fact>
      <Fact term="Tags">{tags.length > 0 ? tags.join(", ") : "None"}</Fact>
      <Fact term="First seen">{formatWhen(customer.created_at)}</Fact>
    </dl>
  );
}

function ExportButton({ email }: { email: string }) {
  const { api } = useSession();
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
        {busy ? "Preparing the export…" : "Download export"}
      </button>
      {error !== null ? <ErrorNotice error={`The export did not download: ${error}`} /> : null}
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
      title={`Erase ${email}?`}
      confirmLabel={busy ? "Erasing…" : "Erase this customer"}
      danger
      busy={busy}
      confirmDisabled={!matches}
      onConfirm={() => void erase()}
      onCancel={onClose}
    >
      <p>
        Everything personal about this customer is removed from every table, and their running
        journeys are cancelled first. This cannot be undone. The address stays unsubscribed as a
        salted hash, so it is never emailed again.
      </p>
      <label htmlFor="erase-confirm">Type the address to confirm</label>
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
        {matches ? "The address matches." : <>Type <strong>{email}</strong> exactly.</>}
      </p>
      {error !== null ? <ErrorNotice error={`Nothing was erased: ${error.message}`} /> : null}
    </ConfirmDialog>
  );
}

function ErasureReport({ erasure }: { erasure: Erasure }) {
  const removed = heldLines(erasure.removed);
  return (
    <div className="notice customers__erased" role="status">
      {erasure.erased ? (
        <>
          <p className="customers__erased-title">The customer was erased. Removed or emptied:</p>
          <ul aria-label="Removed">
            {removed.map(({ kind, text: line }) => (
              <li key={kind}>{line}</li>
            ))}
          </ul>
          <p>
            {erasure.journeys_cancelled === 1
              ? "1 running journey was cancelled."
              : `${erasure.journeys_cancelled} running journeys were cancelled.`}
          </p>
        </>
      ) : (
        <p>Nothing was held about this address, so nothing was removed.</p>
      )}
      {erasure.journeys_not_reached > 0 ? (
        <p>
          {erasure.journeys_not_reached === 1 ? "1 journey" : `${erasure.journeys_not_reached} journeys`} could not be
          reached (the workflow engine did not answer). With their records gone, each stops at its next step
          without sending anything.
        </p>
      ) : null}
    </div>
  );
}
