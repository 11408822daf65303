import { describe, expect, it } from "vitest";
import { conditionText } from "../flow-editor/step-summary";
import { thresholdText } from "./threshold-text";

describe("thresholdText", () => {
  it("reads one amount per currency", () => {
    expect(thresholdText({ USD: 25, KRW: 35000 })).toBe("25 USD / 35000 KRW");
    expect(thresholdText(25)).toBeNull();
    expect(thresholdText([25])).toBeNull();
  });

  it("is how the canvas shows a rule with one amount per currency", () => {
    expect(conditionText({ field: "cart.total", op: "gte", value: { USD: 25, EUR: 25 } })).toBe("cart.total ≥ 25 USD / 25 EUR");
    expect(conditionText({ field: "cart.total", op: "gte", value: 25 })).toBe("cart.total ≥ 25");
  });
});
