import { describe, expect, it } from "vitest";
import { translate, type Translate } from "../i18n/i18n";
import { formatMoney, formatRate, moneyList, periodDates, periodFromSearch, periodLabel, searchWithPeriod } from "./analytics";

const en: Translate = (key, params) => translate("en", key, params);
const ko: Translate = (key, params) => translate("ko", key, params);

describe("periods in the URL", () => {
  it("reads a preset, two dates, or nothing (the last 30 days)", () => {
    expect(periodFromSearch(new URLSearchParams(""))).toEqual({ kind: "last", days: 30 });
    expect(periodFromSearch(new URLSearchParams("days=7"))).toEqual({ kind: "last", days: 7 });
    expect(periodFromSearch(new URLSearchParams("from=2026-01-01&to=2026-01-31"))).toEqual({ kind: "between", from: "2026-01-01", to: "2026-01-31" });
  });

  it("ignores what it cannot use: an unknown preset, dates backwards or malformed", () => {
    expect(periodFromSearch(new URLSearchParams("days=12"))).toEqual({ kind: "last", days: 30 });
    expect(periodFromSearch(new URLSearchParams("from=2026-02-01&to=2026-01-01"))).toEqual({ kind: "last", days: 30 });
    expect(periodFromSearch(new URLSearchParams("from=yesterday&to=2026-01-01"))).toEqual({ kind: "last", days: 30 });
  });

  it("writes the period over the other parameters, the default as nothing", () => {
    const search = new URLSearchParams("tab=x&days=7");
    expect(searchWithPeriod(search, { kind: "between", from: "2026-01-01", to: "2026-01-31" }).toString()).toBe("tab=x&from=2026-01-01&to=2026-01-31");
    expect(searchWithPeriod(search, { kind: "last", days: 90 }).toString()).toBe("tab=x&days=90");
    expect(searchWithPeriod(search, { kind: "last", days: 30 }).toString()).toBe("tab=x");
  });

  it("asks for the last N days ending today, today included", () => {
    const today = new Date("2026-03-02T15:00:00Z");
    expect(periodDates({ kind: "last", days: 7 }, today)).toEqual({ from: "2026-02-24", to: "2026-03-02" });
    expect(periodDates({ kind: "between", from: "2026-01-01", to: "2026-01-31" }, today)).toEqual({ from: "2026-01-01", to: "2026-01-31" });
  });
});

describe("figures", () => {
  it("formats each amount in its own currency and never adds currencies", () => {
    expect(formatMoney({ currency: "EUR", amount: "1280.50" }, "en")).toBe("€1,280.50");
    expect(moneyList([{ currency: "EUR", amount: "10.00" }, { currency: "USD", amount: "5.00" }], en, "en")).toBe("€10.00, $5.00");
    expect(moneyList([], en, "en")).toBe("none");
    expect(formatMoney({ currency: "KRW", amount: "15000" }, "ko")).toBe("₩15,000");
    expect(moneyList([], ko, "ko")).toBe("없음");
  });

  it("shows a rate with one decimal, and a dash when there was nothing to divide by", () => {
    expect(formatRate(15, en, "en")).toBe("15.0 %");
    expect(formatRate(null, en, "en")).toBe("—");
    expect(formatRate(15, ko, "ko")).toBe("15.0%");
  });
});

describe("periods in words", () => {
  it("names a period in the reader's language, English by default", () => {
    expect(periodLabel({ kind: "last", days: 7 })).toBe("the last 7 days");
    expect(periodLabel({ kind: "last", days: 7 }, ko)).toBe("최근 7일");
    expect(periodLabel({ kind: "between", from: "2026-01-01", to: "2026-01-31" }, ko)).toBe("2026-01-01 ~ 2026-01-31");
  });
});
