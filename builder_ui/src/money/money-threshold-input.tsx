/**
 * The value of a rule on a money field (`cart.total`, `order.total`, `customer.lifetime_spend`):
 * one amount in the shop's currency, or one amount per currency (`{"USD": 25, "KRW": 35000}`),
 * as engine/language/money.py compares them. Amounts in different currencies are never mixed:
 * the hint says what happens to a cart in a currency the rule does not name.
 */
import { useId, useState } from "react";
import { useT } from "../i18n/i18n";
import "./money.css";

export type PerCurrency = Readonly<Record<string, number>>;
type Row = { key: number; code: string; amount: number | null };

const CODE = /^[A-Z]{3}$/;

export function isPerCurrency(value: unknown): value is PerCurrency {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The rows' amounts by currency code: rows without a code (or an amount) left out. */
export function perCurrencyValue(rows: readonly { code: string; amount: number | null }[]): PerCurrency {
  const value: Record<string, number> = {};
  for (const row of rows) {
    const code = row.code.trim().toUpperCase();
    if (CODE.test(code) && row.amount !== null) value[code] = row.amount;
  }
  return value;
}

function amountOf(text: string): number | null {
  return text === "" || Number.isNaN(Number(text)) ? null : Number(text);
}

export function MoneyThresholdInput({
  id,
  value,
  readOnly,
  onChange,
}: {
  id: string;
  value: unknown;
  readOnly: boolean;
  onChange: (value: unknown) => void;
}) {
  const t = useT();
  const name = useId();
  const perCurrency = isPerCurrency(value);
  const [nextKey, setNextKey] = useState(1);
  const [rows, setRows] = useState<Row[]>(() =>
    perCurrency
      ? Object.entries(value).map(([code, amount], index) => ({ key: -1 - index, code, amount: typeof amount === "number" ? amount : null }))
      : [],
  );
  const plain = typeof value === "number" ? value : null;

  function change(next: Row[]) {
    setRows(next);
    onChange(perCurrencyValue(next));
  }
  function newRow(amount: number | null): Row {
    setNextKey((key) => key + 1);
    return { key: nextKey, code: "", amount };
  }
  function choosePerCurrency() {
    change(rows.length > 0 ? rows : [newRow(plain)]);
  }
  function choosePlain() {
    const first = rows.find((row) => row.amount !== null)?.amount;
    onChange(first ?? 0);
  }

  return (
    <div className="money-threshold">
      <fieldset className="money-threshold__mode">
        <legend className="visually-hidden">{t("money.threshold.mode")}</legend>
        <span className="step-forms__check">
          <input
            id={`${name}-plain`}
            type="radio"
            name={name}
            checked={!perCurrency}
            disabled={readOnly}
            onChange={choosePlain}
          />
          <label htmlFor={`${name}-plain`}>{t("money.threshold.plain")}</label>
        </span>
        <span className="step-forms__check">
          <input
            id={`${name}-each`}
            type="radio"
            name={name}
            checked={perCurrency}
            disabled={readOnly}
            onChange={choosePerCurrency}
          />
          <label htmlFor={`${name}-each`}>{t("money.threshold.perCurrency")}</label>
        </span>
      </fieldset>
      {perCurrency ? (
        <div className="money-threshold__rows">
          {rows.map((row, index) => {
            const code = row.code.trim().toUpperCase();
            const bad = code !== "" && !CODE.test(code);
            const shown = CODE.test(code) ? code : `#${index + 1}`;
            return (
              <div key={row.key} className="money-threshold__row">
                <input
                  type="text"
                  aria-label={t("money.threshold.currency")}
                  aria-invalid={bad}
                  maxLength={3}
                  size={4}
                  placeholder="EUR"
                  value={row.code}
                  disabled={readOnly}
                  onChange={(event) =>
                    change(rows.map((r) => (r.key === row.key ? { ...r, code: event.target.value.toUpperCase() } : r)))
                  }
                />
                <input
                  id={index === 0 ? id : undefined}
                  type="number"
                  step="any"
                  aria-label={t("money.threshold.amountIn", { currency: shown })}
                  value={row.amount ?? ""}
                  disabled={readOnly}
                  onChange={(event) =>
                    change(rows.map((r) => (r.key === row.key ? { ...r, amount: amountOf(event.target.value) } : r)))
                  }
                />
                <button
                  type="button"
                  className="button--secondary button--small"
                  disabled={readOnly}
                  onClick={() => change(rows.filter((r) => r.key !== row.key))}
                >
                  {t("money.threshold.remove", { currency: shown })}
                </button>
                {bad ? (
                  <p className="field-error" role="alert">
                    {t("money.threshold.badCode", { code })}
                  </p>
                ) : null}
              </div>
            );
          })}
          <button type="button" disabled={readOnly} onClick={() => change([...rows, newRow(null)])}>
            {t("money.threshold.add")}
          </button>
        </div>
      ) : (
        // Labelled by the rule's "Value"; the choice above says it is in the shop's currency.
        <input
          id={id}
          type="number"
          step="any"
          value={plain ?? ""}
          disabled={readOnly}
          onChange={(event) => onChange(amountOf(event.target.value))}
        />
      )}
      <p className="hint">{t("money.threshold.hint")}</p>
    </div>
  );
}
