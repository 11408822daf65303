import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  // `what` is the caller's own words, already in the reader's language ("the results").
  "ui.loading": "Loading {what}…",
  "ui.error.fallback": "Something went wrong.",
  "ui.error.retry": "Try again",
  "ui.dialog.cancel": "Cancel",
  "ui.unsaved-changes.title": "Unsaved changes",
  "ui.unsaved-changes.leave": "Discard and leave",
  "ui.unsaved-changes.stay": "Stay",
  // `what` names what is edited: "the template “cart-reminder”".
  "ui.unsaved-changes.body": "You have unsaved changes to {what}. Leave and discard them?",
} as const;

export const ko: Translation<typeof en> = {
  "ui.loading": "{what} 불러오는 중…",
  "ui.error.fallback": "문제가 발생했습니다.",
  "ui.error.retry": "다시 시도",
  "ui.dialog.cancel": "취소",
  "ui.unsaved-changes.title": "저장하지 않은 변경 사항",
  "ui.unsaved-changes.leave": "버리고 나가기",
  "ui.unsaved-changes.stay": "머무르기",
  "ui.unsaved-changes.body": "{what}에 저장하지 않은 변경 사항이 있습니다. 변경 사항을 버리고 나갈까요?",
};
