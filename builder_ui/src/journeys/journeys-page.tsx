/**
 * Support's way in: find a customer's or a cart's journeys. The query lives in the URL
 * (`#/journeys?q=...`), so going back from a journey shows the same results again.
 */
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";
import { unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { parseJourneyQuery, type JourneyQuery } from "./journey-format";
import { JourneysTable } from "./journeys-table";
import "./journeys.css";

export function JourneysPage() {
  const t = useT();
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
        <h1>{t("journeys.title")}</h1>
        <ErrorNotice error={t("journeys.forbidden")} />
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
      <h1>{t("journeys.title")}</h1>
      <form className="journeys__search" role="search" onSubmit={search} noValidate>
        <div className="journeys__search-field">
          <label htmlFor="journey-search">{t("journeys.search.label")}</label>
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
        <button type="submit">{t("journeys.search.button")}</button>
      </form>
      <p id="journey-search-hint" className="hint">
        {t(blank ? "journeys.search.blank" : "journeys.search.hint")}
      </p>
      {query === null ? null : <SearchResults query={query} />}
    </section>
  );
}

// While a journey in the results runs, its step changes: search again now and then (the
// engine's listing also lags a journey that just started by a moment).
const REFRESH_WHILE_RUNNING_MS = 5000;

function SearchResults({ query }: { query: JourneyQuery }) {
  const t = useT();
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
  const what =
    "customer_email" in query
      ? t("journeys.search.customer", { email: query.customer_email })
      : t("journeys.search.cart", { cart: query.cart_id });

  switch (state.kind) {
    case "loading":
      return <Loading what={t("journeys.search.loading")} />;
    case "error":
      return <ErrorNotice error={state.error} onRetry={reload} />;
    case "loaded":
      if (state.data.length === 0) {
        return (
          <EmptyState title={t("journeys.search.none", { what })}>
            <p>{t("journeys.search.none-hint")}</p>
          </EmptyState>
        );
      }
      return (
        <>
          <p className="journeys__count" role="status">
            {t("journeys.search.count", { count: state.data.length, what })}
          </p>
          <JourneysTable journeys={state.data} />
        </>
      );
  }
}
