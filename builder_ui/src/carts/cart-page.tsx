/**
 * `/carts/:cartId`: one cart with its items, customer, journeys, messages (and what happened to
 * each), orders and the merged timeline; a recovery link to copy and, for marketers and admins,
 * a message to its customer.
 */
import type { ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import { CATALOGUES, type MessageKey } from "../i18n/catalogue";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
import { journeyPath } from "../journeys/journey-format";
import { useSession } from "../session/session";
import { Fact } from "../ui/fact";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { MessageCustomerSection, RecoveryLinkSection } from "./cart-actions";
import { getCart, type CartDetail } from "./carts-api";
import { CartStatusBadges } from "./carts-table";
import { formatAmount, formatDecimal, formatWhen } from "../i18n/format";
import { rich } from "../i18n/rich-text";
import "./carts.css";

export function CartPage() {
  const { cartId = "" } = useParams();
  const { can } = useSession();
  const t = useT();
  if (!can("read_carts")) {
    return <ErrorNotice error={t("carts.forbidden")} />;
  }
  return <Cart key={cartId} cartId={cartId} />;
}

function backAddress(state: unknown): string {
  if (typeof state === "object" && state !== null && "backTo" in state && typeof state.backTo === "string") {
    return state.backTo;
  }
  return "/carts";
}

function Cart({ cartId }: { cartId: string }) {
  const { api, can } = useSession();
  const t = useT();
  const back = backAddress(useLocation().state);
  const { state, reload } = useApiData((signal) => getCart(api, cartId, signal), [api, cartId]);
  return (
    <section className="carts cart">
      <p className="journey__back">
        <Link to={back}>{t("carts.cart.back")}</Link>
      </p>
      <h1>{rich(t("carts.cart.title"), { id: <code>{cartId}</code> })}</h1>
      {state.kind === "loading" ? <Loading what={t("carts.loading.cart")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        <>
          <CartFacts cart={state.data} />
          <div className="carts__panels">
            <RecoveryLinkSection cartId={cartId} />
            {can("message_carts") ? (
              <MessageCustomerSection cartId={cartId} email={state.data.customer?.email ?? state.data.customer_email} />
            ) : null}
          </div>
          <Items cart={state.data} />
          <Customer cart={state.data} />
          <Journeys cart={state.data} />
          <Messages cart={state.data} />
          <Orders cart={state.data} />
          <Timeline cart={state.data} />
        </>
      ) : null}
    </section>
  );
}

function CartFacts({ cart }: { cart: CartDetail }) {
  const t = useT();
  const { language } = useLanguage();
  const when = (iso: string | null) => (iso ? formatWhen(iso, language) : "—");
  return (
    <dl className="journey__facts">
      <Fact term={t("carts.cart.status")}>
        <CartStatusBadges cart={cart} />
      </Fact>
      <Fact term={t("carts.cart.total")}>
        {formatAmount(cart.total, cart.currency, language)}
        <span className="carts__sub">
          {t("carts.cart.breakdown", {
            items: t("carts.cart.items", { count: cart.item_count }),
            subtotal: formatDecimal(cart.subtotal, language),
            shipping: formatDecimal(cart.shipping, language),
            tax: formatDecimal(cart.tax, language),
          })}
        </span>
      </Fact>
      <Fact term={t("carts.cart.customer")}>{cart.customer_email ?? t("carts.table.noEmail")}</Fact>
      <Fact term={t("carts.cart.abandoned")}>{when(cart.abandoned_at)}</Fact>
      <Fact term={t("carts.cart.recovered")}>{when(cart.recovered_at)}</Fact>
      <Fact term={t("carts.cart.updated")}>{when(cart.updated_at)}</Fact>
    </dl>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="cart__section">
      <h2 className="journey__heading">{title}</h2>
      {children}
    </section>
  );
}

function Items({ cart }: { cart: CartDetail }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <Section title={t("carts.items.title")}>
      {cart.items.length === 0 ? (
        <p className="hint">{t("carts.items.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="carts__table" aria-label={t("carts.items.title")}>
            <thead>
              <tr>
                <th scope="col">{t("carts.items.product")}</th>
                <th scope="col">{t("carts.items.variant")}</th>
                <th scope="col">{t("carts.items.quantity")}</th>
                <th scope="col">{t("carts.items.price")}</th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">{item.name}</th>
                  <td>{item.variant ?? "—"}</td>
                  <td>{new Intl.NumberFormat(language).format(item.quantity)}</td>
                  <td className="carts__amount">{formatAmount(item.price, cart.currency, language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

type Recorded = "carts.messageStatus" | "carts.event" | "carts.orderStatus" | "carts.outcome";

/**
 * A word the API records (a message's status, a delivery event, an order's status, a journey's
 * outcome) in the reader's language; one the UI has no words for shows as the API sent it.
 */
function wordOf(t: Translate, prefix: Recorded, word: string): string {
  const key = `${prefix}.${word}`;
  return Object.hasOwn(CATALOGUES.en, key) ? t(key as MessageKey) : word;
}

function yesNo(t: Translate, value: boolean | null): string {
  return value === null ? t("carts.notKnown") : value ? t("carts.yes") : t("carts.no");
}

function Customer({ cart }: { cart: CartDetail }) {
  const t = useT();
  const customer = cart.customer;
  return (
    <Section title={t("carts.customerSection.title")}>
      {customer === null ? (
        <p className="hint">{t("carts.customerSection.none")}</p>
      ) : (
        <dl className="journey__facts" aria-label={t("carts.customerSection.title")}>
          <Fact term={t("carts.customerSection.email")}>{customer.email ?? "—"}</Fact>
          <Fact term={t("carts.customerSection.name")}>
            {[customer.first_name, customer.last_name].filter(Boolean).join(" ") || "—"}
          </Fact>
          <Fact term={t("carts.customerSection.registered")}>
            {customer.registered ? t("carts.customer.registered") : t("carts.customer.guest")}
          </Fact>
          <Fact term={t("carts.customerSection.consent")}>{yesNo(t, customer.accepts_marketing)}</Fact>
          <Fact term={t("carts.customerSection.suppressed")}>{yesNo(t, customer.suppressed)}</Fact>
          <Fact term={t("carts.customerSection.locale")}>{customer.locale ?? "—"}</Fact>
        </dl>
      )}
    </Section>
  );
}

function Journeys({ cart }: { cart: CartDetail }) {
  const { can } = useSession();
  const t = useT();
  const { language } = useLanguage();
  return (
    <Section title={t("carts.journeys.title")}>
      {cart.journeys.length === 0 ? (
        <p className="hint">{t("carts.journeys.none")}</p>
      ) : (
        <ul className="cart__list" aria-label={t("carts.journeys.title")}>
          {cart.journeys.map((journey) => {
            const name = journey.automation_name ?? journey.automation_id;
            return (
              <li key={journey.id}>
                {can("operate_journeys") ? <Link to={journeyPath(journey.id)}>{name}</Link> : <strong>{name}</strong>}
                <span className="carts__sub">
                  {t("carts.journeys.started", { when: formatWhen(journey.started_at, language) })}
                  {journey.closed_at
                    ? t("carts.journeys.ended", { when: formatWhen(journey.closed_at, language) })
                    : t("carts.journeys.running")}
                  {journey.outcome ? ` · ${wordOf(t, "carts.outcome", journey.outcome)}` : ""}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function Messages({ cart }: { cart: CartDetail }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <Section title={t("carts.messages.title")}>
      {cart.messages.length === 0 ? (
        <p className="hint">{t("carts.messages.none")}</p>
      ) : (
        <ul className="cart__list" aria-label={t("carts.messages.title")}>
          {cart.messages.map((message) => (
            <li key={message.id}>
              <strong>{message.subject}</strong> <span className="badge badge--inactive">{wordOf(t, "carts.messageStatus", message.status)}</span>
              <span className="carts__sub">
                {message.sent_at
                  ? t("carts.messages.sent", { when: formatWhen(message.sent_at, language) })
                  : t("carts.messages.notSent")}
                {message.step_id ? t("carts.messages.step", { step: message.step_id }) : ""}
              </span>
              {message.events.length > 0 ? (
                <ul className="cart__events" aria-label={t("carts.messages.events", { subject: message.subject })}>
                  {message.events.map((event, index) => (
                    <li key={`${index}-${event.event}`}>
                      {wordOf(t, "carts.event", event.event)} <time dateTime={event.occurred_at}>{formatWhen(event.occurred_at, language)}</time>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Orders({ cart }: { cart: CartDetail }) {
  const t = useT();
  const { language } = useLanguage();
  return (
    <Section title={t("carts.orders.title")}>
      {cart.orders.length === 0 ? (
        <p className="hint">{t("carts.orders.none")}</p>
      ) : (
        <ul className="cart__list" aria-label={t("carts.orders.title")}>
          {cart.orders.map((order) => (
            <li key={order.id}>
              <code>{order.id}</code> {formatAmount(order.total, order.currency, language)}{" "}
              <span className="badge badge--active">{wordOf(t, "carts.orderStatus", order.status)}</span>
              <span className="carts__sub">{t("carts.orders.placed", { when: formatWhen(order.placed_at, language) })}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** What each kind of timeline entry is; a kind the UI does not know shows as the API names it. */
const KIND_LABELS: Record<string, MessageKey> = {
  cart_created: "carts.timeline.cart_created",
  abandoned: "carts.timeline.abandoned",
  entered: "carts.timeline.entered",
  step: "carts.timeline.step",
  message_sent: "carts.timeline.message_sent",
  message_event: "carts.timeline.message_event",
  order: "carts.timeline.order",
  recovered: "carts.timeline.recovered",
};

function kindLabel(t: Translate, kind: string): string {
  const key = Object.hasOwn(KIND_LABELS, kind) ? KIND_LABELS[kind] : undefined;
  return key ? t(key) : kind;
}

function Timeline({ cart }: { cart: CartDetail }) {
  const { can } = useSession();
  const t = useT();
  const { language } = useLanguage();
  return (
    <Section title={t("carts.timeline.title")}>
      {cart.timeline.length === 0 ? (
        <p className="hint">{t("carts.timeline.none")}</p>
      ) : (
        <ol className="journey__timeline cart__timeline" aria-label={t("carts.timeline.title")}>
          {cart.timeline.map((entry, index) => (
            <li key={`${index}-${entry.at}`} className="journey__timeline-item">
              <time dateTime={entry.at} className="journey__timeline-when">
                {formatWhen(entry.at, language)}
              </time>
              <span>{kindLabel(t, entry.kind)}</span>
              <span className="journey__timeline-step">
                {entry.summary}
                {entry.journey_id && can("operate_journeys") ? (
                  <>
                    {" "}
                    <Link
                      to={journeyPath(entry.journey_id)}
                      aria-label={t("carts.timeline.openJourney", { summary: entry.summary })}
                    >
                      {t("carts.timeline.journey")}
                    </Link>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}
