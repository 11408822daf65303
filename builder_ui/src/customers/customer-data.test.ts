import { describe, expect, it } from "vitest";
import { describePurge, exportFileName, heldLines } from "./customer-data";

describe("heldLines", () => {
  it("names each kind held, in the page's order, leaving out those with none", () => {
    const lines = heldLines({ messages: 2, customer: 1, carts: 1, orders: 0, suppression: 1 });
    expect(lines.map((line) => line.text)).toEqual([
      "1 customer record",
      "1 cart (with its items)",
      "2 emails",
      "1 entry on the do-not-email list",
    ]);
  });

  it("still shows a kind it has no words for", () => {
    expect(heldLines({ push_tokens: 3 })).toEqual([{ kind: "push_tokens", text: "3 push tokens" }]);
  });

  it("has no line when nothing is held", () => {
    expect(heldLines({ customer: 0, carts: 0 })).toEqual([]);
  });
});

describe("describePurge", () => {
  it("says what a run deleted and emptied in one sentence", () => {
    expect(describePurge({ carts: 2, customers: 1, event_bodies: 12, emails: 0, simulations: 0 })).toBe(
      "2 abandoned carts deleted, 1 customer deleted, 12 event bodies emptied.",
    );
  });

  it("says so when nothing was past its time", () => {
    expect(describePurge({ carts: 0, customers: 0, event_bodies: 0, emails: 0, simulations: 0 })).toBe(
      "Nothing was past its time.",
    );
    expect(describePurge({})).toBe("Nothing was past its time.");
  });
});

it("names the export after the address", () => {
  expect(exportFileName("ada@example.com")).toBe("boomerang-export-ada@example.com.json");
});
