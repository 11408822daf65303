/** The results' figures written in the reader's language: counts, rates and money. */
import { useMemo } from "react";
import { useLanguage, useT } from "../i18n/i18n";
import { formatCount, formatMoney, formatRate, moneyList, type Money } from "./analytics";

export function useFormat() {
  const t = useT();
  const { language } = useLanguage();
  return useMemo(
    () => ({
      t,
      language,
      count: (count: number) => formatCount(count, language),
      rate: (rate: number | null | undefined) => formatRate(rate, t, language),
      money: (money: Money) => formatMoney(money, language),
      moneyList: (revenue: readonly Money[]) => moneyList(revenue, t, language),
    }),
    [t, language],
  );
}
