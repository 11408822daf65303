import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { automationOverview, routedFetch } from "../test/fixtures";
import { cartDetail, cartSummary } from "../test/render-carts";
import { renderInRouter } from "../test/render-in-router";
import { testSession } from "../test/session";
import { CartPage } from "./cart-page";
import { CartsPage } from "./carts-page";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function renderInKorean(path: string, routes: Parameters<typeof routedFetch>[0]) {
  vi.stubGlobal("fetch", vi.fn(routedFetch(routes)));
  return renderInRouter(
    [
      { path: "/carts", element: <LanguageProvider initial="ko"><CartsPage /></LanguageProvider> },
      { path: "/carts/:cartId", element: <LanguageProvider initial="ko"><CartPage /></LanguageProvider> },
    ],
    { at: path, session: testSession("marketer") },
  );
}

describe("the carts in Korean", () => {
  it("lists the carts with Korean headings, filters, badges and counts", async () => {
    renderInKorean("/carts", {
      "GET /api/v1/carts": {
        carts: [cartSummary({ id: "cart_a", total: "1234.50", in_journey: true })],
        next_cursor: "next",
        total: 1200,
      },
      "GET /api/v1/automations": [automationOverview({ id: "aut_1", name: "Three reminders" })],
    });

    const table = await screen.findByRole("table", { name: "장바구니" });
    expect(screen.getByRole("heading", { level: 1, name: "장바구니" })).toBeInTheDocument();
    expect(within(table).getByRole("columnheader", { name: "고객" })).toBeInTheDocument();
    const [, row] = within(table).getAllByRole("row");
    expect(row).toHaveTextContent(/Ann Lee · 비회원\s*이탈\s*여정 진행 중\s*2\s*1,234.50 EUR/);
    expect(screen.getByRole("status")).toHaveTextContent("조건에 맞는 장바구니 1,200개 · 1개 표시 중");
    const filters = screen.getByRole("form", { name: "장바구니 필터" });
    expect(within(filters).getByLabelText("이탈")).toBeInTheDocument();
    expect(within(filters).getByRole("button", { name: "필터 적용" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "더 보기" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "일괄 메시지" })).toBeInTheDocument();

    for (const english of ["Apply filters", "Load more", "Bulk message", "carts match", "guest", "Download CSV"]) {
      expect(document.body.textContent).not.toMatch(new RegExp(`\\b${english}\\b`));
    }
  });

  it("shows one cart's page in Korean, with its item count and timeline", async () => {
    renderInKorean("/carts/cart_1", { "GET /api/v1/carts/cart_1": cartDetail() });

    const items = await screen.findByRole("table", { name: "상품" });
    expect(within(items).getByRole("columnheader", { name: "수량" })).toBeInTheDocument();
    expect(screen.getByText(/상품 2개 · 소계 42.50 · 배송비 0.00 · 세금 0.00/)).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("장바구니 cart_1");
    const events = screen.getByRole("list", { name: "“You left something behind”의 전송 이벤트" });
    expect(within(events).getAllByRole("listitem").map((item) => item.textContent?.split(" ")[0])).toEqual([
      "전달됨",
      "열람",
    ]);
    expect(screen.getByText("발송됨", { selector: ".badge" })).toBeInTheDocument();
    const timeline = screen.getByRole("list", { name: "타임라인" });
    expect(within(timeline).getAllByRole("listitem")[0]).toHaveTextContent("장바구니 생성");
    expect(screen.getByRole("button", { name: "복구 링크 복사" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "이 고객에게 메시지 보내기" })).toBeInTheDocument();

    for (const english of ["Items", "Timeline", "Copy recovery link", "Marketing consent", "subtotal", "delivered"]) {
      expect(document.body.textContent).not.toMatch(new RegExp(`\\b${english}\\b`));
    }
  });
});
