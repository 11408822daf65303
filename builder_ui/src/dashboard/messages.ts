import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  "dashboard.title": "Dashboard",
  "dashboard.loading": "the results",
  "dashboard.summary": "All automations, {from} to {to} ({period}).",
  "dashboard.updating": "Updating…",
  "dashboard.period.last": { one: "the last day", other: "the last {count} days" },
  "dashboard.period.between": "{from} to {to}",
} as const;

export const ko: Translation<typeof en> = {
  "dashboard.title": "대시보드",
  "dashboard.loading": "결과",
  "dashboard.summary": "전체 자동화, {from}~{to} ({period}).",
  "dashboard.updating": "업데이트 중…",
  "dashboard.period.last": { other: "최근 {count}일" },
  "dashboard.period.between": "{from}~{to}",
};
