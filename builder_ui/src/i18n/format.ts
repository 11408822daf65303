/** Times and amounts in the reader's language (`useLanguage().language`), in its words and digits. */
import type { Language } from "./i18n";

const dateTimes = new Map<string, Intl.DateTimeFormat>(); // a formatter is costly to make; tables print many

/** An instant in the reader's own time zone, e.g. "Mar 1, 2025, 10:00:00 AM" / "2025. 3. 1. 오전 10:00:00". */
export function formatWhen(iso: string, language: Language = "en", timeStyle: "medium" | "short" = "medium"): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const key = `${language}/${timeStyle}`;
  let format = dateTimes.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle });
    dateTimes.set(key, format);
  }
  return format.format(when);
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
