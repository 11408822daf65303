/** The carts a filter found, each linking to its page; three columns sort (the API sorts). */
import { Link } from "react-router";
import type { MessageKey } from "../i18n/catalogue";
import { useLanguage, useT } from "../i18n/i18n";
import type { CartSort, CartSummary } from "./carts-api";
import { formatAmount, formatWhen } from "../i18n/format";

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
  const t = useT();
  const { language } = useLanguage();
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
      <table className="carts__table" aria-label={t("carts.table.label")}>
        <thead>
          <tr>
            <th scope="col">{t("carts.table.cart")}</th>
            <th scope="col">{t("carts.table.customer")}</th>
            <th scope="col">{t("carts.table.status")}</th>
            <th scope="col">{t("carts.table.items")}</th>
            {header("total", t("carts.table.total"))}
            {header("abandoned_at", t("carts.table.abandoned"))}
            {header("updated_at", t("carts.table.updated"))}
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
                {cart.customer_email ?? <span className="carts__muted">{t("carts.table.noEmail")}</span>}
                <span className="carts__sub">
                  {cart.customer_name ? `${cart.customer_name} · ` : ""}
                  {cart.registered ? t("carts.customer.registered") : t("carts.customer.guest")}
                </span>
              </td>
              <td>
                <CartStatusBadges cart={cart} />
              </td>
              <td>{new Intl.NumberFormat(language).format(cart.item_count)}</td>
              <td className="carts__amount">{formatAmount(cart.total, cart.currency, language)}</td>
              <td>{cart.abandoned_at ? formatWhen(cart.abandoned_at, language) : "—"}</td>
              <td>{formatWhen(cart.updated_at, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A cart's status on its badge; one the UI does not know is shown as the API names it. */
const BADGES: Record<string, MessageKey> = {
  active: "carts.badge.active",
  abandoned: "carts.badge.abandoned",
  recovered: "carts.badge.recovered",
  lost: "carts.badge.lost",
  ordered: "carts.badge.ordered",
};

export function CartStatusBadges({ cart }: { cart: Pick<CartSummary, "status" | "in_journey" | "contactable"> }) {
  const t = useT();
  const badge = Object.hasOwn(BADGES, cart.status) ? BADGES[cart.status] : undefined;
  const tone = cart.status === "recovered" || cart.status === "ordered" ? "badge--active" : "badge--inactive";
  return (
    <span className="carts__badges">
      <span className={`badge ${tone}`}>{badge ? t(badge) : cart.status}</span>
      {cart.in_journey ? <span className="badge badge--journey">{t("carts.badge.inJourney")}</span> : null}
      {cart.contactable ? null : <span className="badge badge--paused">{t("carts.badge.notContactable")}</span>}
    </span>
  );
}
