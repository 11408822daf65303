import { screen, within } from "@testing-library/react";
import { Route } from "react-router";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { LanguageProvider } from "../i18n/i18n";
import { routedFetch } from "../test/fixtures";
import { renderRoutesSignedIn } from "../test/render-signed-in";
import { CustomerPage } from "./customer-page";

const EMAIL = "ada@example.com";
const HELD: Schemas["CustomerSummary"] = {
  email: EMAIL,
  customer: {
    id: "cus_1",
    first_name: "Ada",
    last_name: "Lovelace",
    locale: null,
    accepts_marketing: true,
    registered: null,
    tags: [],
    timezone: "Europe/London",
    created_at: "2025-03-01T09:00:00Z",
  },
  held: { customer: 1, carts: 2, events: 1500 },
  erased_before: false,
};

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("the customers page in Korean", () => {
  it("finds a customer and names their facts and what is held in Korean", async () => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/customers/summary": HELD })));
    renderRoutesSignedIn(
      <Route
        path="/customers"
        element={
          <LanguageProvider initial="ko">
            <CustomerPage />
          </LanguageProvider>
        }
      />,
      { role: "support", path: `/customers?email=${EMAIL}` },
    );

    const found = await screen.findByRole("region", { name: EMAIL });
    expect(screen.getByRole("heading", { level: 1, name: "고객" })).toBeInTheDocument();
    expect(screen.getByLabelText("고객 이메일")).toBeInTheDocument();
    expect(within(found).getByLabelText("고객 정보")).toBeInTheDocument();
    expect(screen.getByText("마케팅 수신 동의", { selector: "dt" }).nextElementSibling).toHaveTextContent("예");
    expect(screen.getByText("계정", { selector: "dt" }).nextElementSibling).toHaveTextContent("쇼핑몰이 알려 주지 않음");
    expect(screen.getByText("언어", { selector: "dt" }).nextElementSibling).toHaveTextContent("정보 없음");
    expect(screen.getByText("태그", { selector: "dt" }).nextElementSibling).toHaveTextContent("없음");
    const held = within(found).getByRole("list", { name: "보관 중인 정보" });
    expect(within(held).getAllByRole("listitem").map((item) => item.textContent)).toEqual([
      "고객 레코드 1건",
      "장바구니 2개(상품 포함)",
      "쇼핑몰에서 받은 이벤트 1,500건",
    ]);
    expect(screen.getByRole("button", { name: "내보내기 파일 다운로드" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "이 고객 삭제" })).toBeEnabled();

    for (const english of ["What is held", "Download export", "Erase this customer", "Not given", "customer record"]) {
      expect(document.body.textContent).not.toMatch(new RegExp(`\\b${english}\\b`));
    }
  });
});
