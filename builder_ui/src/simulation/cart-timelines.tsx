/**
 * A simulation's carts, newest abandonment first, a page at a time: each opens to show the
 * cart's real later events and the steps it would go through, in time order, and where and
 * why it stops.
 */
import { useEffect, useId, useState } from "react";
import type { Api } from "../api/client";
import { useLanguage, useT, type Language, type Translate } from "../i18n/i18n";
import { describeStep, formatWhen } from "../journeys/journey-format";
import { rich } from "../i18n/rich-text";
import { ErrorNotice } from "../ui/notices";
import { eventWords, loadCartTimelines, notEnteredReason, outcomeWords, type CartTimeline } from "./simulation-api";

type Page = { items: CartTimeline[]; next: string | null };
type Loaded = { kind: "loading" } | { kind: "error"; error: Error } | { kind: "loaded" };

/** How the cart ends, in a few words: "purchased", "not entered: filtered". */
export function cartOutcome(timeline: CartTimeline, t: Translate): string {
  if (!timeline.entered) return t("simulation.cart.not-entered", { reason: notEnteredReason(t, timeline.not_entered ?? "refused") });
  if (timeline.held_out) return t("simulation.cart.held-out", { outcome: outcomeWords(t, timeline.outcome ?? "running") });
  return timeline.outcome ? outcomeWords(t, timeline.outcome) : t("simulation.cart.still-running");
}

function flags(timeline: CartTimeline, t: Translate): string[] {
  const found: string[] = [];
  if (timeline.late_sends > 0) found.push(t("simulation.count.late-sends", { count: timeline.late_sends }));
  if (timeline.failures > 0) found.push(t("simulation.count.failures", { count: timeline.failures }));
  return found;
}

/** Give it `key={simulationId}`: another simulation starts over. */
export function CartTimelinesList({ api, simulationId }: { api: Api; simulationId: string }) {
  const t = useT();
  const [flagged, setFlagged] = useState(false);
  const [cursor, setCursor] = useState<string | null>(null);
  const [page, setPage] = useState<Page>({ items: [], next: null });
  const [state, setState] = useState<Loaded>({ kind: "loading" });
  const [open, setOpen] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: "loading" });
    loadCartTimelines(api, simulationId, { cursor, flagged }, controller.signal)
      .then((answer) => {
        if (controller.signal.aborted) return;
        setPage((shown) => ({ items: cursor === null ? answer.items : [...shown.items, ...answer.items], next: answer.next_cursor ?? null }));
        setState({ kind: "loaded" });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: "error", error: error instanceof Error ? error : new Error(String(error)) });
      });
    return () => controller.abort();
  }, [api, simulationId, flagged, cursor, attempt]);

  return (
    <section className="simulation__carts" aria-labelledby="simulation-carts-title">
      <h3 id="simulation-carts-title">{t("simulation.carts.title")}</h3>
      <label className="simulation__check">
        <input
          type="checkbox"
          checked={flagged}
          onChange={(event) => {
            // A new filter starts from the first page.
            setFlagged(event.target.checked);
            setCursor(null);
            setPage({ items: [], next: null });
            setOpen(null);
          }}
        />
        {t("simulation.carts.flagged")}
      </label>
      {state.kind === "loaded" && page.items.length === 0 ? (
        <p className="hint">{t(flagged ? "simulation.carts.none-flagged" : "simulation.carts.none")}</p>
      ) : null}
      {page.items.length > 0 ? (
        <ul className="simulation__cart-list" aria-label={t("simulation.carts.list")}>
          {page.items.map((timeline) => (
            <CartItem
              key={timeline.cart_id}
              timeline={timeline}
              open={open === timeline.cart_id}
              onToggle={() => setOpen((current) => (current === timeline.cart_id ? null : timeline.cart_id))}
            />
          ))}
        </ul>
      ) : null}
      {state.kind === "loading" ? (
        <p className="hint" role="status">
          {t("simulation.carts.loading")}
        </p>
      ) : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {state.kind === "loaded" && page.next !== null ? (
        <button type="button" className="button--secondary" onClick={() => setCursor(page.next)}>
          {t("simulation.carts.more")}
        </button>
      ) : null}
    </section>
  );
}

function CartItem({ timeline, open, onToggle }: { timeline: CartTimeline; open: boolean; onToggle: () => void }) {
  const t = useT();
  const id = useId();
  const flagged = flags(timeline, t);
  const separator = t("simulation.carts.separator");
  return (
    <li className={`simulation__cart${flagged.length > 0 ? " simulation__cart--flagged" : ""}`}>
      <button type="button" className="simulation__cart-toggle" aria-expanded={open} aria-controls={id} onClick={onToggle}>
        {/* Not CSS generated content: that would become part of the button's name. */}
        <span className="simulation__marker" aria-hidden="true">
          {open ? "▾" : "▸"}
        </span>
        <code>{timeline.cart_id}</code> <span>{cartOutcome(timeline, t)}</span>
        {separator}
        <span>{t("simulation.count.emails", { count: timeline.emails })}</span>
        {flagged.length > 0 ? (
          <>
            {separator}
            <span className="simulation__flag">{flagged.join(separator)}</span>
          </>
        ) : null}
      </button>
      {open ? (
        <div id={id} className="simulation__timeline">
          <CartTimelineView timeline={timeline} />
        </div>
      ) : null}
    </li>
  );
}

type Moment = { at: string; key: string; kind: "event" | "step"; who: string; what: string };

/** The cart's replayed events and its steps, merged in time order (events first on a tie:
 * the journey reacts to them). */
export function moments(timeline: CartTimeline, t: Translate, language?: Language): Moment[] {
  const events: Moment[] = (timeline.events ?? []).map((event, index) => ({
    at: event.at,
    key: `event-${index}`,
    kind: "event",
    who: t("simulation.cart.customer"),
    what: eventWords(t, event.event),
  }));
  const steps: Moment[] = (timeline.steps ?? []).map((step, index) => ({
    at: step.at,
    key: `step-${index}`,
    kind: "step",
    who: step.type === "finish" ? t("simulation.cart.end") : step.step_id,
    what: describeStep({ ...step, detail: step.detail ?? {} }, t, language),
  }));
  const order = (moment: Moment) => new Date(moment.at).getTime();
  // Array.prototype.sort is stable: same-time steps keep the interpreter's order.
  return [...events, ...steps].sort((a, b) => order(a) - order(b));
}

function ending(timeline: CartTimeline, t: Translate, language: Language): string {
  if (!timeline.entered) return t("simulation.cart.would-not-enter", { reason: notEnteredReason(t, timeline.not_entered ?? "refused") });
  const outcome = outcomeWords(t, timeline.outcome ?? "running");
  if (timeline.stopped_at) return t("simulation.cart.stops-at", { step: timeline.stopped_at, outcome });
  if (timeline.outcome === null || timeline.outcome === undefined) return t("simulation.cart.still-running-at-end");
  return timeline.ended_at
    ? t("simulation.cart.ends-at", { outcome, when: formatWhen(timeline.ended_at, language) })
    : t("simulation.cart.ends", { outcome });
}

export function CartTimelineView({ timeline }: { timeline: CartTimeline }) {
  const t = useT();
  const { language } = useLanguage();
  const variants = Object.entries(timeline.variants ?? {});
  const list = moments(timeline, t, language);
  return (
    <>
      <p className="hint">{t("simulation.cart.abandoned", { when: formatWhen(timeline.abandoned_at, language) })}</p>
      {timeline.held_out ? <p>{t("simulation.cart.holdout")}</p> : null}
      {variants.length > 0 ? (
        <p>
          {variants.map(([split, variant]) => (
            <span key={split}>
              {rich(t("simulation.cart.split", { variant }), { split: <code>{split}</code> })}{" "}
            </span>
          ))}
        </p>
      ) : null}
      {list.length > 0 ? (
        <ol className="simulation__moments" aria-label={t("simulation.cart.moments", { cart: timeline.cart_id })}>
          {list.map((moment) => (
            <li key={moment.key} className={moment.kind === "event" ? "simulation__moment--event" : undefined}>
              <time dateTime={moment.at}>{formatWhen(moment.at, language)}</time>{" "}
              <span className="simulation__who">{moment.kind === "event" ? t("simulation.cart.customer-said") : <code>{moment.who}</code>}</span> {moment.what}
            </li>
          ))}
        </ol>
      ) : null}
      <p className="simulation__ending">{ending(timeline, t, language)}</p>
      {timeline.compared ? (
        <p className="hint">
          {t("simulation.cart.with-live", {
            outcome: timeline.compared.outcome ? outcomeWords(t, timeline.compared.outcome) : t("simulation.cart.still-running"),
            emails: t("simulation.count.emails", { count: timeline.compared.emails }),
            codes: t("simulation.count.codes", { count: timeline.compared.codes }),
          })}
        </p>
      ) : null}
    </>
  );
}
