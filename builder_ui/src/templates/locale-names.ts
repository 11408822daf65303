/** Locales as people read them: `pl` is "Polish" in English, "폴란드어" in Korean. */
import { useCallback } from "react";
import { useLanguage } from "../i18n/i18n";

/** The BCP 47 tag as the API takes it (`pt_br` → `pt-BR`), or null when it is not one. */
export function normaliseLocale(tag: string): string | null {
  const pieces = tag.trim().replace(/_/g, "-").split("-").filter((piece) => piece !== "");
  if (pieces.length === 0 || pieces.length > 4) return null;
  const [language, ...rest] = pieces;
  if (language === undefined || !/^[A-Za-z]{2,3}$/.test(language)) return null;
  if (!rest.every((piece) => /^[A-Za-z0-9]{2,8}$/.test(piece))) return null;
  const shaped = [
    language.toLowerCase(),
    ...rest.map((piece) =>
      piece.length === 4 && /^[A-Za-z]+$/.test(piece)
        ? `${piece.charAt(0).toUpperCase()}${piece.slice(1).toLowerCase()}`
        : piece.length <= 3
          ? piece.toUpperCase()
          : piece.toLowerCase(),
    ),
  ];
  try {
    return Intl.getCanonicalLocales(shaped.join("-"))[0] ?? null;
  } catch {
    return null;
  }
}

export function languageName(locale: string, inLanguage: string): string {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: "language" }).of(locale);
    return name && name !== locale ? name : locale;
  } catch {
    return locale;
  }
}

/** `languageName` in the reader's language. */
export function useLanguageName(): (locale: string) => string {
  const { language } = useLanguage();
  return useCallback((locale: string) => languageName(locale, language), [language]);
}
