/** Answers of the results API (contract-14 "Results") for the dashboard and Results tab tests. */
import type { AutomationResults, DailyPoint, EmailFigures, Overview, Totals } from "../results/analytics";

export function emailFigures(fields: Partial<EmailFigures> = {}): EmailFigures {
  return {
    sent: 200,
    delivered: 190,
    opened: 80,
    proxy_opened: 35,
    clicked: 24,
    bounced: 10,
    unsubscribed: 2,
    delivery_rate: 95,
    open_rate: 42.1,
    click_rate: 12.6,
    bounce_rate: 5,
    unsubscribe_rate: 1.1,
    ...fields,
  };
}

export function totals(fields: Partial<Totals> = {}): Totals {
  return {
    from: "2026-11-03",
    to: "2026-12-02",
    carts_abandoned: 120,
    carts_contactable: 100,
    carts_entered: 90,
    carts_recovered: 18,
    abandonment_rate: 68.2,
    recovery_rate: 15,
    revenue: [
      { currency: "EUR", amount: "1280.50" },
      { currency: "USD", amount: "312.00" },
    ],
    emails: emailFigures(),
    median_time_to_recovery: "4h32m",
    ...fields,
  };
}

export function daily(): DailyPoint[] {
  return [
    { date: "2026-12-01", abandoned: 5, recovered: 1, revenue: [{ currency: "EUR", amount: "80.00" }], sent: 9, opened: 4, clicked: 1 },
    { date: "2026-12-02", abandoned: 3, recovered: 2, revenue: [{ currency: "USD", amount: "40.00" }], sent: 6, opened: 2, clicked: 2 },
  ];
}

export function overview(fields: Partial<Overview> = {}): Overview {
  return { ...totals(), daily: daily(), ...fields };
}

export function automationResults(fields: Partial<AutomationResults> = {}): AutomationResults {
  return {
    automation_id: "aut_1",
    name: "Cart recovery",
    from: "2026-11-03",
    to: "2026-12-02",
    totals: totals(),
    versions: [
      { version: 1, entered: 40, recovered: 5, recovery_rate: 12.5, sent: 80 },
      { version: 2, entered: 50, recovered: 13, recovery_rate: 26, sent: 120 },
    ],
    steps: [
      { step_id: "remind", variant: null, sent: 90, delivered: 88, opened: 40, clicked: 12, recovered: 7 },
      { step_id: "nudge", variant: "a", sent: 30, delivered: 29, opened: 10, clicked: 4, recovered: 2 },
      { step_id: "nudge", variant: "b", sent: 31, delivered: 30, opened: 14, clicked: 6, recovered: 4 },
    ],
    ab_tests: [
      {
        step_id: "split",
        variants: [
          { name: "a", entered: 30, sent: 30, clicked: 4, recovered: 2, recovery_rate: 6.7, probability_best: 0.27 },
          { name: "b", entered: 31, sent: 31, clicked: 6, recovered: 4, recovery_rate: 12.9, probability_best: 0.73 },
        ],
        winner: null,
        verdict: "Not enough data yet: each variant needs at least 100 carts.",
      },
    ],
    holdout: {
      percent: 10,
      treated: { carts: 900, recovered: 180, rate: 20 },
      held_out: { carts: 100, recovered: 12, rate: 12 },
      lift: 8,
      interval: [0.9, 14.2],
      enough_data: true,
      verdict: "The automation recovers about 8 more carts in every 100.",
    },
    daily: daily(),
    ...fields,
  };
}
