/**
 * Times and amounts in the reader's language (`useLanguage().language`), for the carts,
 * customers and settings pages: the same styles as before, in that language's words and digits.
 */
import type { Language } from "../i18n/i18n";

/** An instant in the reader's own time zone, e.g. "Mar 1, 2025, 10:00:00 AM" / "2025. 3. 1. 오전 10:00:00". */
export function formatWhen(iso: string, language: Language, timeStyle: "medium" | "short" = "medium"): string {
  const when = new Date(iso);
  return Number.isNaN(when.getTime())
    ? iso
    : new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle }).format(when);
}

/**
 * An amount as the API writes it ("1234.50") in the language's digits, with as many decimals as
 * it was given, then its currency code: "1,234.50 EUR". Not a number: shown as it came.
 */
export function formatAmount(amount: string, currency: string, language: Language): string {
  return `${formatDecimal(amount, language)} ${currency}`;
}

export function formatDecimal(amount: string, language: Language): string {
  const value = Number(amount);
  if (amount.trim() === "" || !Number.isFinite(value)) return amount;
  const decimals = amount.split(".")[1]?.length ?? 0;
  return new Intl.NumberFormat(language, { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(value);
}
