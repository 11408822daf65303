import { describe, expect, it } from "vitest";
import { everyStepType } from "../test/sample-definitions";
import { simulatedStatus } from "../test/simulation-fixtures";
import { plural, signed, simulationBadges, simulationRequest } from "./simulation-api";

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
    expect([plural(1, "email"), plural(0, "email"), plural(1200, "code")]).toEqual(["1 email", "0 emails", "1,200 codes"]);
    expect([signed(120), signed(-30), signed(0)]).toEqual(["+120", "−30", "0"]);
  });
});
