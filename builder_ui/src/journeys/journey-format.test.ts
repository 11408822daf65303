import { describe, expect, it } from "vitest";
import { translate, type Translate } from "../i18n/i18n";
import { describeStep, formatRelative, journeyPath, journeySubject, parseJourneyQuery } from "./journey-format";

const en: Translate = (key, params) => translate("en", key, params);
const ko: Translate = (key, params) => translate("ko", key, params);

const NOW = new Date("2024-01-15T15:00:00Z");

describe("parseJourneyQuery", () => {
  it("reads an @ as a customer's email and anything else as a cart id", () => {
    expect(parseJourneyQuery(" jane@example.com ")).toEqual({ customer_email: "jane@example.com" });
    expect(parseJourneyQuery("cart_abc123")).toEqual({ cart_id: "cart_abc123" });
    expect(parseJourneyQuery("   ")).toBeNull();
  });
});

describe("journey ids", () => {
  it("names the subject and builds a path that keeps the colons", () => {
    expect(journeySubject("journey:aut_1:order:77")).toBe("order:77");
    expect(journeyPath("journey:aut_1:cart_1")).toBe("/journeys/journey%3Aaut_1%3Acart_1");
  });
});

describe("formatRelative", () => {
  it.each([
    ["2024-01-15T16:59:00Z", "in 1 h 59 min"],
    ["2024-01-15T17:00:00Z", "in 2 h"],
    ["2024-01-15T15:00:30Z", "in 30 s"],
    ["2024-01-15T14:57:00Z", "3 min ago"],
    ["2024-01-17T19:00:00Z", "in 2 d 4 h"],
    ["2024-01-15T15:00:00Z", "now"],
  ])("%s is %s", (iso, expected) => {
    expect(formatRelative(iso, NOW, en)).toBe(expected);
  });
});

describe("describeStep", () => {
  const at = "2024-01-15T14:00:00Z";

  it.each([
    [{ type: "wait_for_event", detail: { event: "email_clicked" } }, "Received email_clicked"],
    [{ type: "wait_for_event", detail: { timed_out: true } }, "Timed out waiting for the event"],
    [{ type: "condition", detail: { branch: "else" } }, "Condition false: took the no branch"],
    [{ type: "action", detail: { status: "skipped", reason: "unsubscribed" } }, "Action skipped (reason: unsubscribed)"],
    [{ type: "finish", step_id: "cancel", detail: { outcome: "cancelled", reason: "asked by phone" } }, "Ended: cancelled (asked by phone)"],
    [
      { type: "finish", step_id: "cart_recovered", detail: { outcome: "recovered", recovered_via: "email-1" } },
      "Ended: recovered, by cart_recovered, credited to email-1",
    ],
  ])("%o reads %s", (step, expected) => {
    expect(describeStep({ step_id: "s", at, ...step }, en)).toBe(expected);
  });
});

describe("in Korean", () => {
  it("says when and what happened in Korean", () => {
    expect(formatRelative("2024-01-15T16:59:00Z", NOW, ko)).toBe("1시간 59분 후");
    expect(formatRelative("2024-01-15T14:57:00Z", NOW, ko)).toBe("3분 전");
    expect(describeStep({ step_id: "s", at: NOW.toISOString(), type: "condition", detail: { branch: "then" } }, ko)).toBe(
      "조건 참: “예” 분기로 진행",
    );
    expect(
      describeStep({ step_id: "cart_recovered", at: NOW.toISOString(), type: "finish", detail: { outcome: "recovered", recovered_via: "email-1" } }, ko),
    ).toBe("종료: 회수됨, cart_recovered에 의해, email-1의 성과로 집계");
  });
});
