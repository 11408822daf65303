/**
 * A simulation's carts, newest abandonment first, a page at a time: each opens to show the
 * cart's real later events and the steps it would go through, in time order, and where and
 * why it stops.
 */
import { useEffect, useId, useState } from "react";
import type { Api } from "../api/client";
import { describeStep, formatWhen } from "../journeys/journey-format";
import { ErrorNotice } from "../ui/notices";
import { loadCartTimelines, plural, words, type CartTimeline } from "./simulation-api";

type Page = { items: CartTimeline[]; next: string | null };
type Loaded = { kind: "loading" } | { kind: "error"; error: Error } | { kind: "loaded" };

/** How the cart ends, in a few words: "purchased", "not entered: filtered". */
export function cartOutcome(timeline: CartTimeline): string {
  if (!timeline.entered) return `not entered: ${words(timeline.not_entered ?? "refused")}`;
  if (timeline.held_out) return `held out, ${words(timeline.outcome ?? "running")}`;
  return words(timeline.outcome ?? "still running");
}

function flags(timeline: CartTimeline): string[] {
  const found: string[] = [];
  if (timeline.late_sends > 0) found.push(`${plural(timeline.late_sends, "late send")}`);
  if (timeline.failures > 0) found.push(plural(timeline.failures, "failure"));
  return found;
}

/** Give it `key={simulationId}`: another simulation starts over. */
export function CartTimelinesList({ api, simulationId }: { api: Api; simulationId: string }) {
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
      <h3 id="simulation-carts-title">Each cart</h3>
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
        Only flagged carts (a late send or a failure)
      </label>
      {state.kind === "loaded" && page.items.length === 0 ? (
        <p className="hint">{flagged ? "No cart is flagged." : "No cart was simulated."}</p>
      ) : null}
      {page.items.length > 0 ? (
        <ul className="simulation__cart-list" aria-label="Simulated carts">
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
          Loading carts…
        </p>
      ) : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={() => setAttempt((n) => n + 1)} /> : null}
      {state.kind === "loaded" && page.next !== null ? (
        <button type="button" className="button--secondary" onClick={() => setCursor(page.next)}>
          Show more carts
        </button>
      ) : null}
    </section>
  );
}

function CartItem({ timeline, open, onToggle }: { timeline: CartTimeline; open: boolean; onToggle: () => void }) {
  const id = useId();
  const flagged = flags(timeline);
  return (
    <li className={`simulation__cart${flagged.length > 0 ? " simulation__cart--flagged" : ""}`}>
      <button type="button" className="simulation__cart-toggle" aria-expanded={open} aria-controls={id} onClick={onToggle}>
        {/* Not CSS generated content: that would become part of the button's name. */}
        <span className="simulation__marker" aria-hidden="true">
          {open ? "▾" : "▸"}
        </span>
        <code>{timeline.cart_id}</code> <span>{cartOutcome(timeline)}</span>
        {", "}
        <span>{plural(timeline.emails, "email")}</span>
        {flagged.length > 0 ? (
          <>
            {", "}
            <span className="simulation__flag">{flagged.join(", ")}</span>
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

type Moment = { at: string; key: string; who: string; what: string };

/** The cart's replayed events and its steps, merged in time order (events first on a tie:
 * the journey reacts to them). */
export function moments(timeline: CartTimeline): Moment[] {
  const events: Moment[] = (timeline.events ?? []).map((event, index) => ({
    at: event.at,
    key: `event-${index}`,
    who: "Customer",
    what: words(event.event),
  }));
  const steps: Moment[] = (timeline.steps ?? []).map((step, index) => ({
    at: step.at,
    key: `step-${index}`,
    who: step.type === "finish" ? "End" : step.step_id,
    what: describeStep({ ...step, detail: step.detail ?? {} }),
  }));
  const order = (moment: Moment) => new Date(moment.at).getTime();
  // Array.prototype.sort is stable: same-time steps keep the interpreter's order.
  return [...events, ...steps].sort((a, b) => order(a) - order(b));
}

function ending(timeline: CartTimeline): string {
  if (!timeline.entered) return `It would not enter the automation (${words(timeline.not_entered ?? "refused")}).`;
  const outcome = words(timeline.outcome ?? "running");
  if (timeline.stopped_at) return `It stops at step ${timeline.stopped_at}: ${outcome}.`;
  if (timeline.outcome === null || timeline.outcome === undefined) return "It is still running when the simulation ends.";
  return `It ends: ${outcome}${timeline.ended_at ? `, ${formatWhen(timeline.ended_at)}` : ""}.`;
}

export function CartTimelineView({ timeline }: { timeline: CartTimeline }) {
  const variants = Object.entries(timeline.variants ?? {});
  const list = moments(timeline);
  return (
    <>
      <p className="hint">Abandoned {formatWhen(timeline.abandoned_at)}.</p>
      {timeline.held_out ? <p>In the holdout group: nothing would be sent.</p> : null}
      {variants.length > 0 ? (
        <p>
          {variants.map(([split, variant]) => (
            <span key={split}>
              Split <code>{split}</code>: variant {variant}.{" "}
            </span>
          ))}
        </p>
      ) : null}
      {list.length > 0 ? (
        <ol className="simulation__moments" aria-label={`What would happen to cart ${timeline.cart_id}`}>
          {list.map((moment) => (
            <li key={moment.key} className={moment.who === "Customer" ? "simulation__moment--event" : undefined}>
              <time dateTime={moment.at}>{formatWhen(moment.at)}</time>{" "}
              <span className="simulation__who">{moment.who === "Customer" ? "Customer:" : <code>{moment.who}</code>}</span> {moment.what}
            </li>
          ))}
        </ol>
      ) : null}
      <p className="simulation__ending">{ending(timeline)}</p>
      {timeline.compared ? (
        <p className="hint">
          With the live version: {words(timeline.compared.outcome ?? "still running")}, {plural(timeline.compared.emails, "email")},{" "}
          {plural(timeline.compared.codes, "code")}.
        </p>
      ) : null}
    </>
  );
}
