/**
 * The recovered revenue converted into the shop's currency, with the day of the rates used:
 * shown under the amounts per currency when the API sends it (only when the shop set rates for
 * every currency of the revenue). The amounts per currency stay the figures of record.
 */
import type { Schemas } from "../api/client";
import { useLanguage, useT } from "../i18n/i18n";
import "./money.css";

type Converted = Schemas["ConvertedTotal"];

/** "$174.00" in English, "US$174.00" in Korean: the reader's language, the amount's currency. */
export function formatConverted({ currency, amount }: Converted, language: string): string {
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

export function ConvertedTotal({ total }: { total: Converted | null | undefined }) {
  const t = useT();
  const { language } = useLanguage();
  if (total === null || total === undefined) return null;
  return (
    <p className="converted-total">
      <span className="figure__detail">
        {t("money.converted.total", { amount: formatConverted(total, language) })}
      </span>{" "}
      <span className="figure__detail">
        {t("money.converted.detail", { currency: total.currency, date: total.rates_set_on })}
      </span>
    </p>
  );
}
