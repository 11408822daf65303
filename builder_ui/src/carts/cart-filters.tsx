/** The carts filter form: edited here, applied (into the page's address) with "Apply filters". */
import { useEffect, useState, type FormEvent } from "react";
import { unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { useApiData } from "../ui/use-api-data";
import { CART_STATUSES, EMPTY_FILTER, STATUS_LABELS, type CartFilter, type CartStatus } from "./carts-api";

export function CartFilters({ applied, onApply }: { applied: CartFilter; onApply: (filter: CartFilter) => void }) {
  const t = useT();
  const [filter, setFilter] = useState<CartFilter>(applied);
  // Back and forward move through filters: the form follows the address.
  useEffect(() => setFilter(applied), [applied]);
  const automations = useAutomationNames();

  const set = <K extends keyof CartFilter>(key: K, value: CartFilter[K]) =>
    setFilter((current) => ({ ...current, [key]: value }));
  const toggleStatus = (status: CartStatus, on: boolean) =>
    set("status", on ? CART_STATUSES.filter((s) => s === status || filter.status.includes(s)) : filter.status.filter((s) => s !== status));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(filter);
  };

  return (
    <form className="carts__filters" aria-label={t("carts.filters.label")} onSubmit={submit}>
      <fieldset className="carts__statuses">
        <legend>{t("carts.filters.status")}</legend>
        {CART_STATUSES.map((status) => (
          <label key={status} className="carts__check">
            <input
              type="checkbox"
              checked={filter.status.includes(status)}
              onChange={(event) => toggleStatus(status, event.target.checked)}
            />
            {t(STATUS_LABELS[status])}
          </label>
        ))}
      </fieldset>
      <div className="carts__fields">
        <div>
          <label htmlFor="carts-email">{t("carts.filters.email")}</label>
          <input
            id="carts-email"
            type="search"
            value={filter.email}
            onChange={(event) => set("email", event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div>
          <label htmlFor="carts-customer">{t("carts.filters.customer")}</label>
          <select
            id="carts-customer"
            value={filter.customer}
            onChange={(event) => set("customer", event.target.value as CartFilter["customer"])}
          >
            <option value="">{t("carts.filters.customerAny")}</option>
            <option value="registered">{t("carts.filters.registered")}</option>
            <option value="guest">{t("carts.filters.guest")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="carts-automation">{t("carts.filters.automation")}</label>
          <select
            id="carts-automation"
            value={filter.automation_id}
            onChange={(event) => set("automation_id", event.target.value)}
          >
            <option value="">{t("carts.filters.automationAny")}</option>
            {filter.automation_id !== "" && !automations.some((a) => a.id === filter.automation_id) ? (
              <option value={filter.automation_id}>{filter.automation_id}</option>
            ) : null}
            {automations.map((automation) => (
              <option key={automation.id} value={automation.id}>
                {automation.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="carts-from">{t("carts.filters.from")}</label>
          <input
            id="carts-from"
            type="date"
            value={filter.abandoned_from}
            onChange={(event) => set("abandoned_from", event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="carts-to">{t("carts.filters.to")}</label>
          <input
            id="carts-to"
            type="date"
            value={filter.abandoned_to}
            onChange={(event) => set("abandoned_to", event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="carts-min">{t("carts.filters.min")}</label>
          <input
            id="carts-min"
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            value={filter.min_total}
            onChange={(event) => set("min_total", event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="carts-max">{t("carts.filters.max")}</label>
          <input
            id="carts-max"
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            value={filter.max_total}
            onChange={(event) => set("max_total", event.target.value)}
          />
        </div>
        <div>
          <label htmlFor="carts-currency">{t("carts.filters.currency")}</label>
          <input
            id="carts-currency"
            value={filter.currency}
            onChange={(event) => set("currency", event.target.value)}
            maxLength={3}
            placeholder="EUR"
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      </div>
      <div className="carts__filter-actions">
        <button type="submit">{t("carts.filters.apply")}</button>
        <button type="button" className="button--secondary" onClick={() => onApply(EMPTY_FILTER)}>
          {t("carts.filters.clear")}
        </button>
      </div>
    </form>
  );
}

/** The automations to filter by; without them (a failed load) the choice is just "any". */
function useAutomationNames(): { id: string; name: string }[] {
  const { api } = useSession();
  const { state } = useApiData(
    (signal) => unwrap(api.GET("/api/v1/automations", { params: { query: { include_archived: true } }, signal })),
    [api],
  );
  return state.kind === "loaded" ? state.data.map(({ id, name }) => ({ id, name })) : [];
}
