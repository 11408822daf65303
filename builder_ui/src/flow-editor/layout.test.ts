import { describe, expect, it } from "vitest";
import { layoutCanvas } from "./layout";
import { everyStepType } from "../test/sample-definitions";
import { TRIGGER_NODE_ID, toCanvas } from "./to-definition";

describe("layoutCanvas", () => {
  const { nodes } = layoutCanvas(toCanvas(everyStepType));
  const at = (id: string) => nodes.find((node) => node.id === id)?.position ?? { x: NaN, y: NaN };

  it("puts the trigger first and each step below the one before it", () => {
    const ys = ["wait-1", "morning", "email-1", "vip?", "subject-test", "click?"].map((id) => at(id).y);
    expect(at(TRIGGER_NODE_ID).y).toBeLessThan(ys[0] ?? NaN);
    expect([...ys].sort((a, b) => a - b)).toEqual(ys);
  });

  it("puts branches side by side, in the definition's order", () => {
    expect(at("code-vip").y).toBe(at("code-std").y);
    expect(at("code-vip").x).toBeLessThan(at("code-std").x); // then, else
    expect(at("email-2a").x).toBeLessThan(at("email-2b").x); // urgency, friendly
  });

  it("leaves the definition alone", () => {
    expect(JSON.stringify(everyStepType)).not.toContain("position");
  });
});
