import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  "preset-gallery.title": "Presets",
  "preset-gallery.cannot-install": "Your role cannot install presets.",
  "preset-gallery.intro":
    "Ready-made automations built on the default email templates. Installing one creates it inactive; activate it when you are ready, or open it to adjust it first.",
  "preset-gallery.loading": "presets",
  "preset-gallery.empty": "No presets are available.",
  "preset-gallery.category.abandoned_cart": "Abandoned cart",
  "preset-gallery.category.abandoned_cart.blurb": "Bring shoppers back to the cart they left.",
  "preset-gallery.category.post_purchase": "Post-purchase",
  "preset-gallery.category.post_purchase.blurb": "Confirm, update and follow up after an order.",

  "preset-gallery.card.trigger": "Trigger",
  "preset-gallery.card.templates": "Templates",
  "preset-gallery.card.no-templates": "none",
  "preset-gallery.card.list-separator": ", ",
  "preset-gallery.card.installed": "Installed",
  "preset-gallery.card.name": "Name (optional)",
  // The button's accessible name starts with its text, "Install".
  "preset-gallery.card.install": "Install",
  "preset-gallery.card.install-label": "Install {name}",
  "preset-gallery.card.installing": "Installing…",
  "preset-gallery.card.open": "Open",
  "preset-gallery.card.now-active": "“{name}” is active: new journeys start from now on.",
  "preset-gallery.card.installed-inactive": "Installed “{name}”. It is inactive: nothing is sent until you activate it.",
  "preset-gallery.card.activate": "Activate now",
  "preset-gallery.card.activating": "Activating…",
  "preset-gallery.status.active": "active",
  "preset-gallery.status.inactive": "inactive",
  "preset-gallery.status.archived": "archived",
} as const;

export const ko: Translation<typeof en> = {
  "preset-gallery.title": "프리셋",
  "preset-gallery.cannot-install": "현재 역할로는 프리셋을 설치할 수 없습니다.",
  "preset-gallery.intro":
    "기본 이메일 템플릿으로 만든, 바로 쓸 수 있는 자동화입니다. 설치하면 비활성 상태로 만들어집니다. 준비되면 활성화하거나, 먼저 열어서 다듬으세요.",
  "preset-gallery.loading": "프리셋",
  "preset-gallery.empty": "사용할 수 있는 프리셋이 없습니다.",
  "preset-gallery.category.abandoned_cart": "장바구니 이탈",
  "preset-gallery.category.abandoned_cart.blurb": "쇼핑객이 두고 간 장바구니로 다시 돌아오게 합니다.",
  "preset-gallery.category.post_purchase": "구매 후",
  "preset-gallery.category.post_purchase.blurb": "주문 후 확인, 진행 상황 안내, 후속 연락을 보냅니다.",

  "preset-gallery.card.trigger": "트리거",
  "preset-gallery.card.templates": "템플릿",
  "preset-gallery.card.no-templates": "없음",
  "preset-gallery.card.list-separator": ", ",
  "preset-gallery.card.installed": "설치됨",
  "preset-gallery.card.name": "이름(선택)",
  "preset-gallery.card.install": "설치",
  "preset-gallery.card.install-label": "설치: {name}",
  "preset-gallery.card.installing": "설치 중…",
  "preset-gallery.card.open": "열기",
  "preset-gallery.card.now-active": "“{name}” 자동화가 활성화되었습니다. 지금부터 새 여정이 시작됩니다.",
  "preset-gallery.card.installed-inactive": "“{name}” 자동화를 설치했습니다. 비활성 상태라 활성화하기 전에는 아무것도 발송되지 않습니다.",
  "preset-gallery.card.activate": "지금 활성화",
  "preset-gallery.card.activating": "활성화 중…",
  "preset-gallery.status.active": "활성",
  "preset-gallery.status.inactive": "비활성",
  "preset-gallery.status.archived": "보관됨",
};
