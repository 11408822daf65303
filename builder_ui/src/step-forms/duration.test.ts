import { describe, expect, it } from "vitest";
import { durationSeconds, formatDuration, parseDuration } from "./duration";

describe("parseDuration", () => {
  it.each([
    ["90s", { amount: 90, unit: "s" }],
    ["30m", { amount: 30, unit: "m" }],
    ["2h", { amount: 2, unit: "h" }],
    ["7d", { amount: 7, unit: "d" }],
    ["1h30m", { amount: 90, unit: "m" }],
    ["1d12h", { amount: 36, unit: "h" }],
    ["24h", { amount: 1, unit: "d" }],
    ["PT2H", { amount: 2, unit: "h" }],
    ["P1DT2H", { amount: 26, unit: "h" }],
    ["P2W", { amount: 14, unit: "d" }],
    ["pt90s", { amount: 90, unit: "s" }],
  ])("reads %s as one number and the largest whole unit", (text, parts) => {
    expect(parseDuration(text)).toEqual(parts);
  });

  it.each(["", "soon", "2 hours", "1.5h", "h", "P", "PT"])("refuses %j, as the engine does", (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it("keeps the total: formatting what it read gives the same length of time", () => {
    for (const text of ["90s", "1h30m", "PT2H", "P1DT2H", "3d", "59m59s"]) {
      const parts = parseDuration(text);
      expect(parts).not.toBeNull();
      expect(durationSeconds(formatDuration(parts!))).toBe(durationSeconds(text));
    }
  });
});

describe("formatDuration", () => {
  it("writes the compact form the definition uses", () => {
    expect(formatDuration({ amount: 2, unit: "h" })).toBe("2h");
    expect(formatDuration({ amount: 45, unit: "m" })).toBe("45m");
  });
});
