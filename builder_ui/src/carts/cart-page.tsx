/**
 * `/carts/:cartId`: one cart with its items, customer, journeys, messages (and what happened to
 * each), orders and the merged timeline; a recovery link to copy and, for marketers and admins,
 * a message to its customer.
 */
import type { ReactNode } from "react";
import { Link, useLocation, useParams } from "react-router";
import { formatWhen, journeyPath } from "../journeys/journey-format";
import { useSession } from "../session/session";
import { Fact } from "../ui/fact";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { MessageCustomerSection, RecoveryLinkSection } from "./cart-actions";
import { getCart, type CartDetail } from "./carts-api";
import { CartStatusBadges, formatAmount } from "./carts-table";
import "./carts.css";

export function CartPage() {
  const { cartId = "" } = useParams();
  const { can } = useSession();
  if (!can("read_carts")) {
    return <ErrorNotice error="Carts are for support, marketer and admin tokens; this token's role cannot open them." />;
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
  const back = backAddress(useLocation().state);
  const { state, reload } = useApiData((signal) => getCart(api, cartId, signal), [api, cartId]);
  return (
    <section className="carts cart">
      <p className="journey__back">
        <Link to={back}>← Carts</Link>
      </p>
      <h1>
        Cart <code>{cartId}</code>
      </h1>
      {state.kind === "loading" ? <Loading what="the cart" /> : null}
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
  return (
    <dl className="journey__facts">
      <Fact term="Status">
        <CartStatusBadges cart={cart} />
      </Fact>
      <Fact term="Total">
        {formatAmount(cart.total, cart.currency)}
        <span className="carts__sub">
          {cart.item_count === 1 ? "1 item" : `${cart.item_count} items`} · subtotal {cart.subtotal} · shipping{" "}
          {cart.shipping} · tax {cart.tax}
        </span>
      </Fact>
      <Fact term="Customer">{cart.customer_email ?? "no email"}</Fact>
      <Fact term="Abandoned">{cart.abandoned_at ? formatWhen(cart.abandoned_at) : "—"}</Fact>
      <Fact term="Recovered">{cart.recovered_at ? formatWhen(cart.recovered_at) : "—"}</Fact>
      <Fact term="Updated">{formatWhen(cart.updated_at)}</Fact>
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
  return (
    <Section title="Items">
      {cart.items.length === 0 ? (
        <p className="hint">The cart is empty.</p>
      ) : (
        <div className="table-wrap">
          <table className="carts__table" aria-label="Items">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col">Variant</th>
                <th scope="col">Quantity</th>
                <th scope="col">Price</th>
              </tr>
            </thead>
            <tbody>
              {cart.items.map((item) => (
                <tr key={item.id}>
                  <th scope="row">{item.name}</th>
                  <td>{item.variant ?? "—"}</td>
                  <td>{item.quantity}</td>
                  <td className="carts__amount">{formatAmount(item.price, cart.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function yesNo(value: boolean | null): string {
  return value === null ? "not known" : value ? "yes" : "no";
}

function Customer({ cart }: { cart: CartDetail }) {
  const customer = cart.customer;
  return (
    <Section title="Customer">
      {customer === null ? (
        <p className="hint">The shop sent no customer with this cart.</p>
      ) : (
        <dl className="journey__facts" aria-label="Customer">
          <Fact term="Email">{customer.email ?? "—"}</Fact>
          <Fact term="Name">{[customer.first_name, customer.last_name].filter(Boolean).join(" ") || "—"}</Fact>
          <Fact term="Registered">{customer.registered ? "registered" : "guest"}</Fact>
          <Fact term="Marketing consent">{yesNo(customer.accepts_marketing)}</Fact>
          <Fact term="Suppressed">{yesNo(customer.suppressed)}</Fact>
          <Fact term="Locale">{customer.locale ?? "—"}</Fact>
        </dl>
      )}
    </Section>
  );
}

function Journeys({ cart }: { cart: CartDetail }) {
  const { can } = useSession();
  return (
    <Section title="Journeys">
      {cart.journeys.length === 0 ? (
        <p className="hint">This cart has not entered any automation.</p>
      ) : (
        <ul className="cart__list" aria-label="Journeys">
          {cart.journeys.map((journey) => {
            const name = journey.automation_name ?? journey.automation_id;
            return (
              <li key={journey.id}>
                {can("operate_journeys") ? <Link to={journeyPath(journey.id)}>{name}</Link> : <strong>{name}</strong>}
                <span className="carts__sub">
                  started {formatWhen(journey.started_at)}
                  {journey.closed_at ? ` · ended ${formatWhen(journey.closed_at)}` : " · running"}
                  {journey.outcome ? ` · ${journey.outcome}` : ""}
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
  return (
    <Section title="Messages">
      {cart.messages.length === 0 ? (
        <p className="hint">No email has been sent about this cart.</p>
      ) : (
        <ul className="cart__list" aria-label="Messages">
          {cart.messages.map((message) => (
            <li key={message.id}>
              <strong>{message.subject}</strong> <span className="badge badge--inactive">{message.status}</span>
              <span className="carts__sub">
                {message.sent_at ? `sent ${formatWhen(message.sent_at)}` : "not sent"}
                {message.step_id ? ` · step ${message.step_id}` : ""}
              </span>
              {message.events.length > 0 ? (
                <ul className="cart__events" aria-label={`Delivery events of “${message.subject}”`}>
                  {message.events.map((event, index) => (
                    <li key={`${index}-${event.event}`}>
                      {event.event} <time dateTime={event.occurred_at}>{formatWhen(event.occurred_at)}</time>
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
  return (
    <Section title="Orders">
      {cart.orders.length === 0 ? (
        <p className="hint">No order came from this cart yet.</p>
      ) : (
        <ul className="cart__list" aria-label="Orders">
          {cart.orders.map((order) => (
            <li key={order.id}>
              <code>{order.id}</code> {formatAmount(order.total, order.currency)}{" "}
              <span className="badge badge--active">{order.status}</span>
              <span className="carts__sub">placed {formatWhen(order.placed_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

const KIND_LABELS: Record<string, string> = {
  cart_created: "Cart created",
  abandoned: "Abandoned",
  entered: "Entered a journey",
  step: "Journey step",
  message_sent: "Email sent",
  message_event: "Email event",
  order: "Order",
  recovered: "Recovered",
};

function Timeline({ cart }: { cart: CartDetail }) {
  const { can } = useSession();
  return (
    <Section title="Timeline">
      {cart.timeline.length === 0 ? (
        <p className="hint">Nothing has happened to this cart yet.</p>
      ) : (
        <ol className="journey__timeline cart__timeline" aria-label="Timeline">
          {cart.timeline.map((entry, index) => (
            <li key={`${index}-${entry.at}`} className="journey__timeline-item">
              <time dateTime={entry.at} className="journey__timeline-when">
                {formatWhen(entry.at)}
              </time>
              <span>{KIND_LABELS[entry.kind] ?? entry.kind}</span>
              <span className="journey__timeline-step">
                {entry.summary}
                {entry.journey_id && can("operate_journeys") ? (
                  <>
                    {" "}
                    <Link to={journeyPath(entry.journey_id)} aria-label={`Open the journey of: ${entry.summary}`}>
                      journey
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
