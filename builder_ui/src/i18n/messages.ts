import type { Translation } from "./messages-types";

export const en = {
  "i18n.language": "Language",
} as const;

export const ko: Translation<typeof en> = {
  "i18n.language": "언어",
};
