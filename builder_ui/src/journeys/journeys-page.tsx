/**
 * Support's way in: find a customer's or a cart's journeys. The query lives in the URL
 * (`#/journeys?q=...`), so going back from a journey shows the same results again.
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { unwrap } from "../api/client";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { parseJourneyQuery, type JourneyQuery } from "./journey-format";
import { JourneysTable } from "./journeys-table";
import "./journeys.css";

export const SEARCH_LABEL = "Customer email or cart id";

export function JourneysPage() {
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const submitted = params.get("q") ?? "";
  const [text, setText] = useState(submitted);
  const [blank, setBlank] = useState(false);
  // One object per submitted text: the results load again only when the text changes.
  const query = useMemo(() => parseJourneyQuery(submitted), [submitted]);
  // Back and forward move through searches: the box follows the URL.
  useEffect(() => setText(submitted), [submitted]);

  if (!can("operate_journeys")) {
    return (
      <section className="journeys">
        <h1>Journeys</h1>
        <ErrorNotice error="Journeys are for support and admin tokens; this token's role cannot open them." />
      </section>
    );
  }

  const search = (event: FormEvent) => {
    event.preventDefault();
    const query = text.trim();
    setBlank(query === "");
    if (query !== "") setParams({ q: query });
  };

  return (
    <section className="journeys">
      <h1>Journeys</h1>
      <form className="journeys__search" role="search" onSubmit={search} noValidate>
        <div className="journeys__search-field">
          <label htmlFor="journey-search">{SEARCH_LABEL}</label>
          <input
            id="journey-search"
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-describedby="journey-search-hint"
            aria-invalid={blank || undefined}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit">Search</button>
      </form>
      <p id="journey-search-hint" className="hint">
        {blank
          ? "Type a customer's email or a cart id first."
          : "An address with @ finds all of that customer's journeys (their carts and orders); anything else is a cart id."}
      </p>
      {query === null ? null : <SearchResults query={query} />}
    </section>
  );
}

// While a journey in the results runs, its step changes: search again now and then (the
// engine's listing also lags a journey that just started by a moment).
const REFRESH_WHILE_RUNNING_MS = 5000;

function SearchResults({ query }: { query: JourneyQuery }) {
  const { api } = useSession();
  const [anyRunning, setAnyRunning] = useState(false);
  const { state, reload } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/journeys", { params: { query }, signal })),
    [api, query],
    anyRunning ? REFRESH_WHILE_RUNNING_MS : undefined,
  );
  useEffect(() => {
    if (state.kind === "loaded") setAnyRunning(state.data.some((journey) => journey.status === "running"));
  }, [state]);
  const what = "customer_email" in query ? `the customer ${query.customer_email}` : `the cart ${query.cart_id}`;

  switch (state.kind) {
    case "loading":
      return <Loading what="journeys" />;
    case "error":
      return <ErrorNotice error={state.error} onRetry={reload} />;
    case "loaded":
      if (state.data.length === 0) {
        return (
          <EmptyState title={`No journeys for ${what}`}>
            <p>
              Check the spelling. A cart starts a journey only when an active automation's trigger and
              filters match it; an email finds only customers the shop has sent us.
            </p>
          </EmptyState>
        );
      }
      return (
        <>
          <p className="journeys__count" role="status">
            {state.data.length === 1 ? "1 journey" : `${state.data.length} journeys`} for {what}
          </p>
          <JourneysTable journeys={state.data} />
        </>
      );
  }
}
