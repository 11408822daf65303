import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  // The value of a rule on a money field (cart total, order total, lifetime spend).
  "money.threshold.mode": "Amount",
  "money.threshold.plain": "One amount, in the shop's currency",
  "money.threshold.perCurrency": "One amount per currency",
  "money.threshold.currency": "Currency",
  "money.threshold.amountIn": "Amount in {currency}",
  "money.threshold.remove": "Remove {currency}",
  "money.threshold.add": "Add a currency",
  "money.threshold.hint":
    "Each cart is compared in its own currency. A cart in a currency with no amount here is converted with the shop's rates, or, without rates, does not match.",
  "money.threshold.badCode": "{code} is not a currency code such as USD, EUR or KRW",

  // The rates table on the settings page.
  "money.rates.heading": "Currency rates",
  "money.rates.intro":
    "What one unit of each currency is worth in the shop's currency, {currency}. Rules, the VIP segment and the results' converted total use them; amounts in a currency without a rate are never converted.",
  "money.rates.loading": "currency rates",
  "money.rates.none": "No rates set: amounts in other currencies are never converted.",
  "money.rates.setOn": "Set on {date}.",
  "money.rates.currency": "Currency",
  "money.rates.rate": "Worth of one unit in {currency}",
  "money.rates.rateFor": "Rate of {code}",
  "money.rates.codeFor": "Currency of row {count}",
  "money.rates.remove": "Remove {code}",
  "money.rates.add": "Add a rate",
  "money.rates.save": "Save rates",
  "money.rates.saving": "Saving…",
  "money.rates.saved": "Rates saved.",
  "money.rates.clear": "Stop converting",
  "money.rates.cleared": "Rates removed: amounts are no longer converted.",
  "money.rates.count": { one: "{count} rate", other: "{count} rates" },
  "money.rates.notSaved": "Not saved: correct the rates marked above.",

  // The converted total in the results.
  "money.converted.total": "≈ {amount} in all",
  "money.converted.detail": "converted into {currency} at the rates set on {date}",
} as const;

export const ko: Translation<typeof en> = {
  "money.threshold.mode": "금액",
  "money.threshold.plain": "상점 통화로 금액 하나",
  "money.threshold.perCurrency": "통화별 금액",
  "money.threshold.currency": "통화",
  "money.threshold.amountIn": "{currency} 금액",
  "money.threshold.remove": "{currency} 삭제",
  "money.threshold.add": "통화 추가",
  "money.threshold.hint":
    "장바구니마다 해당 통화로 비교합니다. 여기에 금액이 없는 통화의 장바구니는 상점 환율로 환산하고, 환율이 없으면 조건에 맞지 않습니다.",
  "money.threshold.badCode": "{code}은(는) 통화 코드가 아닙니다. USD, EUR, KRW처럼 입력하세요",

  "money.rates.heading": "환율",
  "money.rates.intro":
    "각 통화 1단위가 상점 통화({currency})로 얼마인지 입력합니다. 규칙, VIP 세그먼트, 성과의 환산 합계에 쓰이며, 환율이 없는 통화의 금액은 환산하지 않습니다.",
  "money.rates.loading": "환율",
  "money.rates.none": "설정된 환율이 없습니다. 다른 통화의 금액은 환산하지 않습니다.",
  "money.rates.setOn": "{date}에 설정했습니다.",
  "money.rates.currency": "통화",
  "money.rates.rate": "1단위의 {currency} 가치",
  "money.rates.rateFor": "{code} 환율",
  "money.rates.codeFor": "{count}번째 행의 통화",
  "money.rates.remove": "{code} 삭제",
  "money.rates.add": "환율 추가",
  "money.rates.save": "환율 저장",
  "money.rates.saving": "저장 중…",
  "money.rates.saved": "환율을 저장했습니다.",
  "money.rates.clear": "환산 중지",
  "money.rates.cleared": "환율을 삭제했습니다. 이제 금액을 환산하지 않습니다.",
  "money.rates.count": { other: "환율 {count}개" },
  "money.rates.notSaved": "저장하지 않았습니다. 위에 표시된 환율을 고쳐 주세요.",

  "money.converted.total": "합계 약 {amount}",
  "money.converted.detail": "{date}에 설정한 환율로 {currency}로 환산",
};
