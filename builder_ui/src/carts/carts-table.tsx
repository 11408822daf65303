/** The carts a filter found, each linking to its page; three columns sort (the API sorts). */
import { Link } from "react-router";
import { formatWhen } from "../journeys/journey-format";
import type { CartSort, CartSummary } from "./carts-api";

type SortKey = "abandoned_at" | "total" | "updated_at";

export function cartPath(cartId: string): string {
  return `/carts/${encodeURIComponent(cartId)}`;
}

export function CartsTable({
  carts,
  sort,
  onSort,
  backTo,
}: {
  carts: readonly CartSummary[];
  sort: CartSort;
  onSort: (sort: CartSort) => void;
  /** The list's address, so the cart's page can lead back to the same filter. */
  backTo: string;
}) {
  const header = (key: SortKey, label: string) => {
    const current = sort === key ? "ascending" : sort === `-${key}` ? "descending" : "none";
    // A first click sorts newest (largest) first; a second reverses.
    const next: CartSort = current === "descending" ? key : `-${key}`;
    return (
      <th scope="col" aria-sort={current}>
        <button type="button" className="carts__sort" onClick={() => onSort(next)}>
          {label}
          <span aria-hidden="true">{current === "ascending" ? " ▲" : current === "descending" ? " ▼" : " ↕"}</span>
        </button>
      </th>
    );
  };
  return (
    <div className="table-wrap">
      <table className="carts__table" aria-label="Carts">
        <thead>
          <tr>
            <th scope="col">Cart</th>
            <th scope="col">Customer</th>
            <th scope="col">Status</th>
            <th scope="col">Items</th>
            {header("total", "Total")}
            {header("abandoned_at", "Abandoned")}
            {header("updated_at", "Updated")}
          </tr>
        </thead>
        <tbody>
          {carts.map((cart) => (
            <tr key={cart.id}>
              <th scope="row">
                <Link to={cartPath(cart.id)} state={{ backTo }}>
                  {cart.id}
                </Link>
              </th>
              <td>
                {cart.customer_email ?? <span className="carts__muted">no email</span>}
                <span className="carts__sub">
                  {cart.customer_name ? `${cart.customer_name} · ` : ""}
                  {cart.registered ? "registered" : "guest"}
                </span>
              </td>
              <td>
                <CartStatusBadges cart={cart} />
              </td>
              <td>{cart.item_count}</td>
              <td className="carts__amount">{formatAmount(cart.total, cart.currency)}</td>
              <td>{cart.abandoned_at ? formatWhen(cart.abandoned_at) : "—"}</td>
              <td>{formatWhen(cart.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function formatAmount(amount: string, currency: string): string {
  return `${amount} ${currency}`;
}

export function CartStatusBadges({ cart }: { cart: Pick<CartSummary, "status" | "in_journey" | "contactable"> }) {
  const tone = cart.status === "recovered" || cart.status === "ordered" ? "badge--active" : "badge--inactive";
  return (
    <span className="carts__badges">
      <span className={`badge ${tone}`}>{cart.status}</span>
      {cart.in_journey ? <span className="badge badge--journey">in a journey</span> : null}
      {cart.contactable ? null : <span className="badge badge--paused">not contactable</span>}
    </span>
  );
}
