import { describe, expect, it } from "vitest";
import { translate, type Translate } from "../i18n/i18n";
import { describePurge, exportFileName, heldLines } from "./customer-data";

const en: Translate = (key, params) => translate("en", key, params);
const ko: Translate = (key, params) => translate("ko", key, params);

describe("heldLines", () => {
  it("names each kind held, in the page's order, leaving out those with none", () => {
    const lines = heldLines(en, { messages: 2, customer: 1, carts: 1, orders: 0, suppression: 1 });
    expect(lines.map((line) => line.text)).toEqual([
      "1 customer record",
      "1 cart (with its items)",
      "2 emails",
      "1 entry on the do-not-email list",
    ]);
  });

  it("still shows a kind it has no words for", () => {
    expect(heldLines(en, { push_tokens: 3 })).toEqual([{ kind: "push_tokens", text: "3 push tokens" }]);
  });

  it("has no line when nothing is held", () => {
    expect(heldLines(en, { customer: 0, carts: 0 })).toEqual([]);
  });
});

describe("describePurge", () => {
  it("says what a run deleted and emptied in one sentence", () => {
    expect(describePurge(en, { carts: 2, customers: 1, event_bodies: 12, emails: 0, simulations: 0 })).toBe(
      "2 abandoned carts deleted, 1 customer deleted, 12 event bodies emptied.",
    );
  });

  it("says so when nothing was past its time", () => {
    expect(describePurge(en, { carts: 0, customers: 0, event_bodies: 0, emails: 0, simulations: 0 })).toBe(
      "Nothing was past its time.",
    );
    expect(describePurge(en, {})).toBe("Nothing was past its time.");
  });
});

describe("in Korean", () => {
  it("counts each kind held and what a run did, with the digits grouped", () => {
    expect(heldLines(ko, { carts: 1, messages: 1200 }).map((line) => line.text)).toEqual([
      "장바구니 1개(상품 포함)",
      "이메일 1,200통",
    ]);
    expect(describePurge(ko, { carts: 2, event_bodies: 12 })).toBe("이탈 장바구니 2개 삭제, 이벤트 본문 12건 비움.");
    expect(describePurge(ko, {})).toBe("보존 기간이 지난 데이터가 없었습니다.");
  });
});

it("names the export after the address", () => {
  expect(exportFileName("ada@example.com")).toBe("boomerang-export-ada@example.com.json");
});
