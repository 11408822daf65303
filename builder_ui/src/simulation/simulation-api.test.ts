import { describe, expect, it } from "vitest";
import { everyStepType } from "../test/sample-definitions";
import { simulatedStatus } from "../test/simulation-fixtures";
import { translate, type Translate } from "../i18n/i18n";
import { signed, simulationBadges, simulationRequest } from "./simulation-api";

const en: Translate = (key, params) => translate("en", key, params);
const ko: Translate = (key, params) => translate("ko", key, params);

describe("simulationRequest", () => {
  it("sends the canvas as the definition only when it has unsaved changes", () => {
    const choice = { tried: "draft" as const, carts: 1000, compareWithLive: false };
    expect(simulationRequest(choice, everyStepType, true)).toEqual({ carts: { last: 1000 }, definition: everyStepType });
    expect(simulationRequest(choice, everyStepType, false)).toEqual({ carts: { last: 1000 } });
  });

  it("tries a published version, compared with live", () => {
    expect(simulationRequest({ tried: 2, carts: 5000, compareWithLive: true }, everyStepType, true)).toEqual({
      carts: { last: 5000 },
      version: 2,
      compare_to: "live",
    });
  });
});

describe("simulationBadges", () => {
  it("gives each step its emails, codes, failures and stops, then the change against live", () => {
    const badges = simulationBadges(simulatedStatus());
    expect(badges.get("email-1")).toEqual([{ text: "3 emails" }]);
    expect(badges.get("email-2a")).toEqual([
      { text: "2 emails" },
      { text: "1 failed", tone: "bad" },
      { text: "+1 email vs live", tone: "change" },
    ]);
    expect(badges.get("code-std")).toEqual([{ text: "1 code" }, { text: "−2 codes vs live", tone: "change" }]);
    expect(badges.get("wait-1")).toEqual([{ text: "1 stopped here" }]);
    expect(badges.get("click?")).toEqual([{ text: "−1 stopped here vs live", tone: "change" }]);
    expect(badges.has("lost")).toBe(false);
  });

  it("has no change badges without a comparison", () => {
    const status = simulatedStatus();
    status.difference = null;
    expect(simulationBadges(status).get("email-2a")).toEqual([{ text: "2 emails" }, { text: "1 failed", tone: "bad" }]);
  });
});

describe("numbers in words", () => {
  it("counts with plural words and signs differences with a real minus", () => {
    const emails = (count: number) => en("simulation.count.emails", { count });
    expect([emails(1), emails(0), en("simulation.count.codes", { count: 1200 })]).toEqual(["1 email", "0 emails", "1,200 codes"]);
    expect([signed(120, "en"), signed(-30, "en"), signed(0, "en")]).toEqual(["+120", "−30", "0"]);
  });
});

describe("in Korean", () => {
  it("gives the badges in Korean with Korean counters", () => {
    const badges = simulationBadges(simulatedStatus(), ko, "ko");
    expect(badges.get("email-2a")).toEqual([
      { text: "이메일 2통" },
      { text: "1건 실패", tone: "bad" },
      { text: "라이브 대비 이메일 +1통", tone: "change" },
    ]);
    expect(badges.get("wait-1")).toEqual([{ text: "여기서 1건 중단" }]);
  });
});
