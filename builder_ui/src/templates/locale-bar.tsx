/**
 * The languages of a template's content: the main one and its translations, as tabs to switch
 * between; a way to add a locale (a copy of the main content, to translate) and to remove a
 * translation; and the languages the shop's customers read that the template lacks.
 */
import { type FormEvent, type KeyboardEvent, useId, useState } from "react";
import type { Schemas } from "../api/client";
import { useT } from "../i18n/i18n";
import { normaliseLocale, useLanguageName } from "./locale-names";

interface LocaleBarProps {
  /** The main content's locale first, then the translations'. */
  locales: readonly string[];
  selected: string;
  /** Locales with problems, marked on their tabs. */
  withProblems: ReadonlySet<string>;
  missing: readonly Schemas["MissingLocale"][];
  onSelect: (locale: string) => void;
  onAdd: (locale: string) => void;
  onRemove: (locale: string) => void;
  /** Say the main content is written in another locale (it was labelled wrongly). */
  onMainLocale: (locale: string) => void;
}

function languageOf(locale: string): string {
  return locale.split("-")[0] ?? locale;
}

export function LocaleBar({
  locales,
  selected,
  withProblems,
  missing,
  onSelect,
  onAdd,
  onRemove,
  onMainLocale,
}: LocaleBarProps) {
  const t = useT();
  const name = useLanguageName();
  const inputId = useId();
  const mainId = useId();
  const [adding, setAdding] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const [main = "en"] = locales;
  const [mainInput, setMainInput] = useState<string | null>(null);
  const [mainRefusal, setMainRefusal] = useState<string | null>(null);
  const languages = new Set(locales.map(languageOf));
  const stillMissing = missing.filter((item) => !languages.has(languageOf(item.locale)));

  function add(tag: string): boolean {
    const locale = normaliseLocale(tag);
    if (locale === null) {
      setRefusal(t("templates.locales.notALocale", { locale: tag.trim() }));
      return false;
    }
    if (locales.includes(locale)) {
      setRefusal(t("templates.locales.alreadyThere", { language: name(locale) }));
      return false;
    }
    setRefusal(null);
    onAdd(locale);
    return true;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (add(adding)) setAdding("");
  }

  function submitMain(event: FormEvent) {
    event.preventDefault();
    const wanted = mainInput ?? main;
    const locale = normaliseLocale(wanted);
    if (locale === null) {
      setMainRefusal(t("templates.locales.notALocale", { locale: wanted.trim() }));
      return;
    }
    if (locale !== main && locales.includes(locale)) {
      setMainRefusal(t("templates.locales.alreadyThere", { language: name(locale) }));
      return;
    }
    setMainRefusal(null);
    setMainInput(null);
    if (locale !== main) onMainLocale(locale);
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const at = locales.indexOf(selected);
    const step = event.key === "ArrowRight" ? 1 : -1;
    const next = locales[(at + step + locales.length) % locales.length];
    if (next === undefined) return;
    onSelect(next);
    document.getElementById(`template-locale-${next}`)?.focus();
  }

  return (
    <div className="template-locales">
      <div className="template-locales__row">
        <div className="template-editor__tabs" role="tablist" aria-label={t("templates.locales.tabs")}>
          {locales.map((locale) => (
            <button
              key={locale}
              id={`template-locale-${locale}`}
              type="button"
              role="tab"
              className={`button--secondary${withProblems.has(locale) ? " template-locales__tab--problem" : ""}`}
              aria-selected={selected === locale}
              tabIndex={selected === locale ? 0 : -1}
              lang={locale}
              onClick={() => onSelect(locale)}
              onKeyDown={onKeyDown}
            >
              {locale === main ? t("templates.locales.main", { language: name(locale) }) : name(locale)}
            </button>
          ))}
        </div>
        {selected !== main ? (
          <button type="button" className="button--secondary" onClick={() => onRemove(selected)}>
            {t("templates.locales.remove", { language: name(selected) })}
          </button>
        ) : null}
        <form className="template-locales__add" onSubmit={submit} aria-label={t("templates.locales.add")}>
          <label htmlFor={inputId}>{t("templates.locales.add")}</label>
          <input
            id={inputId}
            value={adding}
            onChange={(event) => setAdding(event.target.value)}
            placeholder="pt-BR"
            title={t("templates.locales.addHint")}
            aria-describedby={`${inputId}-hint`}
            aria-invalid={refusal !== null}
          />
          <button type="submit" className="button--secondary" disabled={adding.trim() === ""}>
            {t("templates.locales.addButton")}
          </button>
          {/* The hint is the input's title; a refusal shows for everyone. */}
          <p className={refusal === null ? "visually-hidden" : "hint template-locales__refusal"} id={`${inputId}-hint`}>
            {refusal ?? t("templates.locales.addHint")}
          </p>
        </form>
      </div>
      {selected === main ? (
        <form className="template-locales__add" onSubmit={submitMain} aria-label={t("templates.locales.mainForm")}>
          <label htmlFor={mainId}>{t("templates.locales.mainLabel")}</label>
          <input
            id={mainId}
            value={mainInput ?? main}
            onChange={(event) => setMainInput(event.target.value)}
            title={t("templates.locales.mainHint")}
            aria-describedby={`${mainId}-hint`}
            aria-invalid={mainRefusal !== null}
          />
          <button type="submit" className="button--secondary" disabled={mainInput === null || mainInput.trim() === main}>
            {t("templates.locales.setMain")}
          </button>
          <p className={mainRefusal === null ? "visually-hidden" : "hint template-locales__refusal"} id={`${mainId}-hint`}>
            {mainRefusal ?? t("templates.locales.mainHint")}
          </p>
        </form>
      ) : null}
      {stillMissing.length > 0 ? (
        <div className="notice template-locales__missing">
          <p className="template-locales__missing-title">{t("templates.locales.missingTitle")}</p>
          <ul>
            {stillMissing.map((item) => (
              <li key={item.locale}>
                {t("templates.locales.missing", {
                  count: item.customers,
                  language: name(item.locale),
                  fallback: name(item.fallback),
                })}{" "}
                <button type="button" className="button--secondary" onClick={() => add(item.locale)}>
                  {t("templates.locales.addMissing", { language: name(item.locale) })}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
