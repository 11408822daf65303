/** A per-currency threshold as the canvas reads it: `{"USD": 25, "KRW": 35000}` → "25 USD / 35000 KRW". */
import { isPerCurrency } from "./money-threshold-input";

export function thresholdText(value: unknown): string | null {
  if (!isPerCurrency(value)) return null;
  const parts = Object.entries(value).map(([currency, amount]) => `${String(amount)} ${currency}`);
  return parts.length > 0 ? parts.join(" / ") : null;
}
