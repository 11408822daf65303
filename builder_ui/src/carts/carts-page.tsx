/**
 * `/carts`: the shop's carts by status, customer, date, automation, value, currency and email.
 * The filter and the sort live in the address (`#/carts?status=abandoned&email=ann`), so going
 * back from a cart shows the same list; the CSV and the bulk message use that same filter.
 */
import { useMemo, useState, type MouseEvent } from "react";
import { useSearchParams } from "react-router";
import { useT, type Translate } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { saveFile } from "../ui/save-file";
import { BulkMessage } from "./bulk-message";
import { CartFilters } from "./cart-filters";
import {
  csvPath,
  downloadCsv,
  filterFromParams,
  filterParams,
  listCarts,
  sortFromParams,
  type CartFilter,
  type CartSort,
  type CartSummary,
} from "./carts-api";
import { CartsTable } from "./carts-table";
import "./carts.css";

export function CartsPage() {
  const { can } = useSession();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const key = params.toString();
  // One filter object per address: the list loads again only when the address changes.
  const filter = useMemo(() => filterFromParams(new URLSearchParams(key)), [key]);
  const sort = useMemo(() => sortFromParams(new URLSearchParams(key)), [key]);

  if (!can("read_carts")) {
    return (
      <section className="carts">
        <h1>{t("carts.title")}</h1>
        <ErrorNotice error={t("carts.forbidden")} />
      </section>
    );
  }

  const show = (next: CartFilter, nextSort: CartSort) => setParams(filterParams(next, nextSort));
  return (
    <section className="carts">
      <h1>{t("carts.title")}</h1>
      <CartFilters applied={filter} onApply={(next) => show(next, sort)} />
      <CartResults filter={filter} sort={sort} onSort={(next) => show(filter, next)} backTo={`/carts?${key}`} />
      {/* A new filter starts the bulk message over: a dry run counted another set of carts. */}
      {can("message_carts") ? <BulkMessage key={filterParams(filter).toString()} filter={filter} /> : null}
    </section>
  );
}

/** The pages after the first, loaded with "Load more" for one filter and sort. */
interface More {
  carts: CartSummary[];
  next: string | null;
}

function CartResults({
  filter,
  sort,
  onSort,
  backTo,
}: {
  filter: CartFilter;
  sort: CartSort;
  onSort: (sort: CartSort) => void;
  backTo: string;
}) {
  const { api } = useSession();
  const t = useT();
  const { state, reload } = useApiData((signal) => listCarts(api, filter, sort, null, signal), [api, filter, sort]);
  const [more, setMore] = useState<{ for: unknown; pages: More } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error | null>(null);

  switch (state.kind) {
    case "loading":
      return <Loading what={t("carts.loading.list")} />;
    case "error":
      return <ErrorNotice error={state.error} onRetry={reload} />;
    case "loaded": {
      // Pages loaded for an earlier answer (another filter, a reload) do not belong here.
      const extra = more !== null && more.for === state.data ? more.pages : null;
      const carts = extra ? [...state.data.carts, ...extra.carts] : state.data.carts;
      const next = extra ? extra.next : state.data.next_cursor;
      const first = state.data;
      const loadMore = () => {
        if (next === null) return;
        setLoadingMore(true);
        setMoreError(null);
        listCarts(api, filter, sort, next)
          .then((page) => setMore({ for: first, pages: { carts: [...(extra?.carts ?? []), ...page.carts], next: page.next_cursor } }))
          .catch((error: unknown) => setMoreError(error instanceof Error ? error : new Error(String(error))))
          .finally(() => setLoadingMore(false));
      };
      return (
        <>
          <div className="carts__summary">
            <p className="carts__count" role="status">
              {countText(t, carts.length, state.data.total)}
            </p>
            <CsvLink filter={filter} sort={sort} />
          </div>
          {state.data.total === 0 ? (
            <EmptyState title={t("carts.empty.title")}>
              <p>{t("carts.empty.body")}</p>
            </EmptyState>
          ) : (
            <CartsTable carts={carts} sort={sort} onSort={onSort} backTo={backTo} />
          )}
          {moreError ? <ErrorNotice error={t("carts.more.failed", { error: moreError.message })} onRetry={loadMore} /> : null}
          {next !== null ? (
            <p className="carts__more">
              <button type="button" className="button--secondary" onClick={loadMore} disabled={loadingMore}>
                {loadingMore ? t("carts.more.loading") : t("carts.more.load")}
              </button>
            </p>
          ) : null}
        </>
      );
    }
  }
}

function countText(t: Translate, shown: number, total: number): string {
  if (total === 0) return t("carts.count.none");
  return shown >= total ? t("carts.count.all", { count: total }) : t("carts.count.some", { count: total, shown });
}

/**
 * "Download CSV": the link names the CSV's address (same filter and sort), but a click fetches
 * it with the token (the API wants the bearer header) and saves the answer as `carts.csv`.
 */
function CsvLink({ filter, sort }: { filter: CartFilter; sort: CartSort }) {
  const { api } = useSession();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    downloadCsv(api, filter, sort)
      .then((blob) => saveFile(blob, "carts.csv"))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBusy(false));
  };

  return (
    <span className="carts__csv">
      <a href={csvPath(filter, sort)} download="carts.csv" onClick={download} aria-busy={busy || undefined}>
        {t("carts.csv.download")}
      </a>
      {busy ? <span className="carts__muted">{t("carts.csv.preparing")}</span> : null}
      {error ? <ErrorNotice error={t("carts.csv.failed", { error })} /> : null}
    </span>
  );
}
