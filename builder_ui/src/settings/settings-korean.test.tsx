import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { LanguageProvider } from "../i18n/i18n";
import { renderSettings } from "../test/render-settings";
import { SHOP_VALUES } from "../test/settings-fixtures";
import { IntegrationsSection } from "./integrations-section";
import { SettingsPage } from "./settings-page";

const VALUES: Schemas["ShopValues"] = { ...SHOP_VALUES, frequency_cap: "2/1d" };
const SETTINGS: Schemas["SettingsPublic"] = {
  shop: VALUES,
  environment: VALUES,
  from_shop: [],
  shop_name: "our shop",
  shop_currency: "USD",
  email_transport: "outbox",
  brevo_api_key_configured: false,
  public_url: "http://127.0.0.1:8000",
  updated_at: null,
};
const TOKEN = {
  id: "tok_1",
  name: "shop events",
  role: "ingest",
  created_at: "2025-01-01T10:00:00Z",
  revoked_at: null,
} as const;

afterEach(() => vi.unstubAllGlobals());

describe("the settings in Korean", () => {
  it("shows the shop settings, data and privacy, and tokens in Korean", async () => {
    renderSettings(
      <LanguageProvider initial="ko">
        <SettingsPage />
      </LanguageProvider>,
      {
        "GET /api/v1/settings": SETTINGS,
        "GET /api/v1/tokens": [TOKEN],
        "GET /api/v1/privacy/retention-runs": { runs: [] },
        "GET /api/v1/privacy/data-requests": { requests: [] },
      },
    );

    expect(await screen.findByRole("heading", { name: "쇼핑몰" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "설정" })).toBeInTheDocument();
    expect(screen.getByLabelText("발신자 주소")).toBeInTheDocument();
    const cap = screen.getByRole("group", { name: "발송 빈도 제한" });
    expect(within(cap).getByLabelText("제한 기간 단위")).toHaveDisplayValue("일");
    expect(within(cap).getByText("환경 기본값")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "이메일 발송" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "데이터 및 개인정보" })).toBeInTheDocument();
    expect(await screen.findByText("아직 실행된 정리가 없습니다")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "API 토큰" })).toBeInTheDocument();
    const tokens = await screen.findByRole("table", { name: "API 토큰" });
    expect(within(tokens).getAllByRole("row")[1]).toHaveTextContent(/shop events\s*수집/);
    expect(within(tokens).getByRole("button", { name: "shop events 폐기" })).toBeInTheDocument();
    expect(screen.getByRole("form", { name: "토큰 만들기" })).toBeInTheDocument();

    for (const english of ["Shop", "Sender address", "Environment default", "API tokens", "Save", "days"]) {
      expect(document.body.textContent).not.toMatch(new RegExp(`\\b${english}\\b`));
    }
  });

  it("names each platform's state and its deliveries in Korean", async () => {
    const platform: Schemas["PlatformStatus"] = {
      platform: "shopify",
      configured: true,
      webhook_url: "https://boomerang.shop.com/api/v1/integrations/shopify/webhooks",
      secret_setting: "BOOMERANG_SHOPIFY_WEBHOOK_SECRET",
      secret_configured: false,
      admin_api_configured: false,
      issues_discount_codes: false,
      last_delivery: null,
      deliveries_by_result: { applied: 1200, duplicate: 0, ignored: 0, failed: 0 },
      unknown_topics: [],
    };
    renderSettings(
      <LanguageProvider initial="ko">
        <IntegrationsSection />
      </LanguageProvider>,
      {
        "GET /api/v1/integrations": {
          discount_provider: "builtin",
          platforms: [platform],
          storefront: {
            origins: [],
            origins_set_here: false,
            script_url: "https://boomerang.shop.com/sdk/boomerang.js",
            endpoint: "https://boomerang.shop.com",
            live_keys: 0,
          },
        },
        "GET /api/v1/tokens": [],
      },
    );

    const shopify = await screen.findByRole("region", { name: "Shopify" });
    expect(within(shopify).getByText("설정됨")).toBeInTheDocument();
    expect(within(shopify).getByRole("textbox", { name: "Shopify 웹훅 URL" })).toBeInTheDocument();
    expect(within(shopify).getByText("수신 내역").nextElementSibling).toHaveTextContent("적용됨 1,200");
    expect(within(shopify).getByText("마지막 수신").nextElementSibling).toHaveTextContent("아직 받은 것이 없습니다");
    expect(within(shopify).getByRole("button", { name: "Shopify 웹훅으로 테스트 이벤트 보내기" })).toBeInTheDocument();
    const storefront = screen.getByRole("region", { name: "스토어프론트" });
    expect(within(storefront).getByText("사용 중인 키 0개.", { exact: false })).toBeInTheDocument();
    expect(within(storefront).getByRole("button", { name: "출처 저장" })).toBeInTheDocument();

    for (const english of ["Configured", "Webhook secret", "Send a test event", "Allowed origins", "keys are live"]) {
      expect(document.body.textContent).not.toMatch(new RegExp(`\\b${english}\\b`));
    }
  });
});
