import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  "customers.title": "Customers",
  "customers.forbidden": "Customers are for support and admin tokens; this token's role cannot open them.",
  "customers.intro":
    "Find what Boomerang holds about a customer, download it for them, or erase it when they ask to be forgotten.",

  // The search.
  "customers.search.form": "Find a customer",
  "customers.search.label": "Customer email",
  "customers.search.find": "Find",
  "customers.search.blank": "Type the customer's email address first.",
  "customers.search.hint": "The whole address, in any case.",
  "customers.search.invalid": "That is not an address Boomerang can look up: {problem}",
  "customers.loading": "what is held about this customer",

  // What is held.
  "customers.erasedBefore":
    "This address was erased before. Boomerang keeps only a salted hash of it, so it is never emailed again.",
  "customers.held.title": "What is held",
  "customers.held.noneTitle": "Nothing is held about this address",
  "customers.held.noneBody": "No customer, cart, order, email or event names it.",
  "customers.held.unknown": "{count} {kind}",
  "customers.held.customer": { one: "{count} customer record", other: "{count} customer records" },
  "customers.held.carts": { one: "{count} cart (with its items)", other: "{count} carts (with their items)" },
  "customers.held.orders": { one: "{count} order", other: "{count} orders" },
  "customers.held.events": { one: "{count} event received from the shop", other: "{count} events received from the shop" },
  "customers.held.messages": { one: "{count} email", other: "{count} emails" },
  "customers.held.message_events": {
    one: "{count} email event (delivery, open, click…)",
    other: "{count} email events (delivery, open, click…)",
  },
  "customers.held.enrolments": { one: "{count} automation enrolment", other: "{count} automation enrolments" },
  "customers.held.journey_records": { one: "{count} journey step", other: "{count} journey steps" },
  "customers.held.discount_codes": { one: "{count} discount code", other: "{count} discount codes" },
  "customers.held.suppression": {
    one: "{count} entry on the do-not-email list",
    other: "{count} entries on the do-not-email list",
  },
  "customers.held.data_requests": { one: "{count} data request", other: "{count} data requests" },
  "customers.held.simulated_carts": { one: "{count} cart in a simulation", other: "{count} carts in simulations" },
  "customers.held.platform_deliveries": {
    one: "{count} webhook from the shop platform",
    other: "{count} webhooks from the shop platform",
  },
  "customers.held.bulk_messages": { one: "{count} bulk message filter", other: "{count} bulk message filters" },

  // A retention run's counts (settings' Data and privacy shows them).
  "customers.purged.carts": { one: "{count} abandoned cart deleted", other: "{count} abandoned carts deleted" },
  "customers.purged.customers": { one: "{count} customer deleted", other: "{count} customers deleted" },
  "customers.purged.event_bodies": { one: "{count} event body emptied", other: "{count} event bodies emptied" },
  "customers.purged.emails": { one: "{count} sent email emptied", other: "{count} sent emails emptied" },
  "customers.purged.simulations": {
    one: "{count} expired simulation removed",
    other: "{count} expired simulations removed",
  },
  "customers.purged.nothing": "Nothing was past its time.",
  "customers.purged.sentence": "{parts}.",
  "customers.list.separator": ", ",

  // The customer's facts.
  "customers.facts.label": "The customer",
  "customers.facts.name": "Name",
  "customers.facts.id": "Customer id",
  "customers.facts.marketing": "Accepts marketing",
  "customers.facts.account": "Account",
  "customers.facts.language": "Language",
  "customers.facts.timeZone": "Time zone",
  "customers.facts.tags": "Tags",
  "customers.facts.firstSeen": "First seen",
  "customers.facts.yes": "Yes",
  "customers.facts.no": "No",
  "customers.facts.registered": "Registered",
  "customers.facts.guest": "Guest",
  "customers.facts.notTold": "Not told by the shop",
  "customers.facts.notGiven": "Not given",
  "customers.facts.none": "None",

  // Export and erase.
  "customers.export.preparing": "Preparing the export…",
  "customers.export.download": "Download export",
  "customers.export.failed": "The export did not download: {error}",
  "customers.erase.open": "Erase this customer",
  "customers.erase.title": "Erase {email}?",
  "customers.erase.erasing": "Erasing…",
  "customers.erase.cancel": "Cancel",
  "customers.erase.body":
    "Everything personal about this customer is removed from every table, and their running journeys are cancelled first. This cannot be undone. The address stays unsubscribed as a salted hash, so it is never emailed again.",
  "customers.erase.confirmLabel": "Type the address to confirm",
  "customers.erase.matches": "The address matches.",
  "customers.erase.typeExactly": "Type {email} exactly.",
  "customers.erase.failed": "Nothing was erased: {error}",
  "customers.erased.title": "The customer was erased. Removed or emptied:",
  "customers.erased.removed": "Removed",
  "customers.erased.cancelled": {
    one: "{count} running journey was cancelled.",
    other: "{count} running journeys were cancelled.",
  },
  "customers.erased.nothing": "Nothing was held about this address, so nothing was removed.",
  "customers.erased.notReached": {
    one: "{count} journey could not be reached (the workflow engine did not answer). With their records gone, each stops at its next step without sending anything.",
    other:
      "{count} journeys could not be reached (the workflow engine did not answer). With their records gone, each stops at its next step without sending anything.",
  },
} as const;

export const ko: Translation<typeof en> = {
  "customers.title": "고객",
  "customers.forbidden": "고객 페이지는 지원 및 관리자 토큰만 열 수 있습니다. 이 토큰의 역할로는 열 수 없습니다.",
  "customers.intro":
    "고객에 대해 Boomerang이 보관 중인 정보를 찾아 고객에게 내보내 주거나, 고객이 잊혀질 권리를 요청하면 삭제합니다.",

  "customers.search.form": "고객 찾기",
  "customers.search.label": "고객 이메일",
  "customers.search.find": "찾기",
  "customers.search.blank": "먼저 고객의 이메일 주소를 입력하세요.",
  "customers.search.hint": "전체 주소를 입력하세요. 대소문자는 구분하지 않습니다.",
  "customers.search.invalid": "Boomerang에서 조회할 수 있는 주소가 아닙니다: {problem}",
  "customers.loading": "이 고객에 대해 보관 중인 정보",

  "customers.erasedBefore":
    "이 주소는 이전에 삭제되었습니다. Boomerang은 솔트 처리한 해시만 보관하므로 이 주소로는 다시 이메일이 발송되지 않습니다.",
  "customers.held.title": "보관 중인 정보",
  "customers.held.noneTitle": "이 주소에 대해 보관 중인 정보가 없습니다",
  "customers.held.noneBody": "이 주소가 들어 있는 고객, 장바구니, 주문, 이메일, 이벤트가 없습니다.",
  "customers.held.unknown": "{kind} {count}건",
  "customers.held.customer": { other: "고객 레코드 {count}건" },
  "customers.held.carts": { other: "장바구니 {count}개(상품 포함)" },
  "customers.held.orders": { other: "주문 {count}건" },
  "customers.held.events": { other: "쇼핑몰에서 받은 이벤트 {count}건" },
  "customers.held.messages": { other: "이메일 {count}통" },
  "customers.held.message_events": { other: "이메일 이벤트 {count}건(전달, 열람, 클릭 등)" },
  "customers.held.enrolments": { other: "자동화 등록 {count}건" },
  "customers.held.journey_records": { other: "여정 단계 {count}건" },
  "customers.held.discount_codes": { other: "할인 코드 {count}개" },
  "customers.held.suppression": { other: "발송 차단 목록 항목 {count}건" },
  "customers.held.data_requests": { other: "데이터 요청 {count}건" },
  "customers.held.simulated_carts": { other: "시뮬레이션 속 장바구니 {count}개" },
  "customers.held.platform_deliveries": { other: "쇼핑몰 플랫폼에서 받은 웹훅 {count}건" },
  "customers.held.bulk_messages": { other: "일괄 메시지 필터 {count}건" },

  "customers.purged.carts": { other: "이탈 장바구니 {count}개 삭제" },
  "customers.purged.customers": { other: "고객 {count}명 삭제" },
  "customers.purged.event_bodies": { other: "이벤트 본문 {count}건 비움" },
  "customers.purged.emails": { other: "발송한 이메일 {count}통 비움" },
  "customers.purged.simulations": { other: "만료된 시뮬레이션 {count}건 제거" },
  "customers.purged.nothing": "보존 기간이 지난 데이터가 없었습니다.",
  "customers.purged.sentence": "{parts}.",
  "customers.list.separator": ", ",

  "customers.facts.label": "고객 정보",
  "customers.facts.name": "이름",
  "customers.facts.id": "고객 ID",
  "customers.facts.marketing": "마케팅 수신 동의",
  "customers.facts.account": "계정",
  "customers.facts.language": "언어",
  "customers.facts.timeZone": "시간대",
  "customers.facts.tags": "태그",
  "customers.facts.firstSeen": "최초 등록",
  "customers.facts.yes": "예",
  "customers.facts.no": "아니요",
  "customers.facts.registered": "회원",
  "customers.facts.guest": "비회원",
  "customers.facts.notTold": "쇼핑몰이 알려 주지 않음",
  "customers.facts.notGiven": "정보 없음",
  "customers.facts.none": "없음",

  "customers.export.preparing": "내보내기 준비 중…",
  "customers.export.download": "내보내기 파일 다운로드",
  "customers.export.failed": "내보내기 파일을 다운로드하지 못했습니다: {error}",
  "customers.erase.open": "이 고객 삭제",
  "customers.erase.title": "{email}을(를) 삭제할까요?",
  "customers.erase.erasing": "삭제 중…",
  "customers.erase.cancel": "취소",
  "customers.erase.body":
    "이 고객의 모든 개인정보가 모든 테이블에서 삭제되며, 진행 중인 여정은 먼저 취소됩니다. 되돌릴 수 없습니다. 주소는 솔트 처리한 해시로 수신 거부 상태를 유지하므로 다시 이메일이 발송되지 않습니다.",
  "customers.erase.confirmLabel": "확인을 위해 주소를 입력하세요",
  "customers.erase.matches": "주소가 일치합니다.",
  "customers.erase.typeExactly": "{email}을(를) 정확히 입력하세요.",
  "customers.erase.failed": "아무것도 삭제되지 않았습니다: {error}",
  "customers.erased.title": "고객을 삭제했습니다. 삭제하거나 비운 항목:",
  "customers.erased.removed": "삭제된 항목",
  "customers.erased.cancelled": { other: "진행 중인 여정 {count}개를 취소했습니다." },
  "customers.erased.nothing": "이 주소에 대해 보관 중인 정보가 없어 삭제한 것이 없습니다.",
  "customers.erased.notReached": {
    other:
      "여정 {count}개에 연결하지 못했습니다(워크플로 엔진이 응답하지 않음). 기록이 삭제되었으므로 각 여정은 다음 단계에서 아무것도 보내지 않고 멈춥니다.",
  },
};
