/**
 * The builder's own words in the reader's language: English, Korean.
 *
 * Every text the UI writes itself goes through `t(key, params)`; the keys and the English
 * live beside each area (`src/<area>/messages.ts`) and `catalogue.ts` gathers them. The
 * language is the one picked in the header (kept in this browser), else the browser's first
 * language we have, else English. Text that comes from the API (problems, the catalog's
 * labels) is the server's and stays as it is sent.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { CATALOGUES, type MessageKey } from "./catalogue";
import type { Message } from "./messages-types";

export const LANGUAGES = { en: "English", ko: "한국어" } as const;
export type Language = keyof typeof LANGUAGES;
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

const STORAGE_KEY = "boomerang.language";

function isLanguage(value: string | null | undefined): value is Language {
  return value != null && Object.hasOwn(LANGUAGES, value);
}

/** The picked language, else the first of the browser's we have, else English. */
export function preferredLanguage(): Language {
  const picked = window.localStorage.getItem(STORAGE_KEY);
  if (isLanguage(picked)) return picked;
  const wanted = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of wanted) {
    const language = tag?.split("-")[0]?.toLowerCase();
    if (isLanguage(language)) return language;
  }
  return "en";
}

function pick(message: Message, language: Language, params: Params | undefined): string {
  if (typeof message === "string") return message;
  const count = Number(params?.count ?? 0);
  const category = new Intl.PluralRules(language).select(count);
  return message[category] ?? message.other;
}

/** `key` in `language` with `{name}` filled from `params` (numbers in the language's digits). */
export function translate(language: Language, key: MessageKey, params?: Params): string {
  const message = CATALOGUES[language][key] ?? CATALOGUES.en[key];
  if (message === undefined) return key;
  const text = pick(message, language, params);
  if (params === undefined) return text;
  const numbers = new Intl.NumberFormat(language);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === "number" ? numbers.format(value) : value;
  });
}

interface LanguageState {
  language: Language;
  setLanguage: (language: Language) => void;
}

// English without a provider: components rendered alone (tests) read as they always did.
const LanguageContext = createContext<LanguageState>({ language: "en", setLanguage: () => {} });

export function LanguageProvider({ children, initial }: { children: ReactNode; initial?: Language }) {
  const [language, setState] = useState<Language>(() => initial ?? preferredLanguage());
  const setLanguage = useCallback((next: Language) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    setState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language; // screen readers speak the right language
  }, [language]);
  const value = useMemo(() => ({ language, setLanguage }), [language, setLanguage]);
  return <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>;
}

export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}

/** `t(key, params)` in the reader's language. */
export function useT(): Translate {
  const { language } = useLanguage();
  return useCallback<Translate>((key, params) => translate(language, key, params), [language]);
}
