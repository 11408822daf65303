import { useId } from "react";
import { LANGUAGES, useLanguage, useT, type Language } from "./i18n";

/** The UI's language, kept in this browser; each language is named in itself. */
export function LanguagePicker() {
  const { language, setLanguage } = useLanguage();
  const t = useT();
  const id = useId();
  return (
    <span className="language-picker">
      <label htmlFor={id}>{t("i18n.language")}</label>
      <select id={id} value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code} lang={code}>
            {name}
          </option>
        ))}
      </select>
    </span>
  );
}
