import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  "app.nav.label": "Main",
  "app.nav.dashboard": "Dashboard",
  "app.nav.automations": "Automations",
  "app.nav.presets": "Presets",
  "app.nav.templates": "Templates",
  "app.nav.carts": "Carts",
  "app.nav.journeys": "Journeys",
  "app.nav.customers": "Customers",
  "app.nav.settings": "Settings",
  "app.sign-out": "Sign out",
  "app.no-page": "There is no page here.",
  "app.loading-account": "your account",
  "app.token-rejected": "That token was not accepted.",
  "app.ingest-refused":
    "This is an ingest token: it only posts events. Sign in with a marketer, support, developer or admin token.",
  "app.role.admin": "admin",
  "app.role.marketer": "marketer",
  "app.role.support": "support",
  "app.role.developer": "developer",
  "app.role.ingest": "ingest",
  "app.role.storefront": "storefront",
} as const;

export const ko: Translation<typeof en> = {
  "app.nav.label": "주 메뉴",
  "app.nav.dashboard": "대시보드",
  "app.nav.automations": "자동화",
  "app.nav.presets": "프리셋",
  "app.nav.templates": "템플릿",
  "app.nav.carts": "장바구니",
  "app.nav.journeys": "여정",
  "app.nav.customers": "고객",
  "app.nav.settings": "설정",
  "app.sign-out": "로그아웃",
  "app.no-page": "이 주소에는 페이지가 없습니다.",
  "app.loading-account": "계정 정보",
  "app.token-rejected": "유효하지 않은 토큰입니다.",
  "app.ingest-refused":
    "이벤트 수집용 토큰입니다. 이 토큰으로는 이벤트만 보낼 수 있습니다. 마케터, 지원, 개발자 또는 관리자 토큰으로 로그인하세요.",
  "app.role.admin": "관리자",
  "app.role.marketer": "마케터",
  "app.role.support": "지원",
  "app.role.developer": "개발자",
  "app.role.ingest": "수집",
  "app.role.storefront": "스토어프런트",
};
