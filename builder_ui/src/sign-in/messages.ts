import type { Translation } from "../i18n/messages-types";

// Keys start with this folder's name; src/i18n/catalogue.test.ts checks them.
export const en = {
  "sign-in.title": "Sign in to Boomerang",
  "sign-in.token": "API token",
  "sign-in.hint": "Paste the API token you were given. It is kept in this browser only.",
  "sign-in.submit": "Sign in",
} as const;

export const ko: Translation<typeof en> = {
  "sign-in.title": "Boomerang에 로그인",
  "sign-in.token": "API 토큰",
  "sign-in.hint": "발급받은 API 토큰을 붙여 넣으세요. 토큰은 이 브라우저에만 저장됩니다.",
  "sign-in.submit": "로그인",
};
