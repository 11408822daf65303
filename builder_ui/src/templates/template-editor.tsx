/**
 * Editing one template: subject, MJML source and text part on the left, the live preview on
 * the right. Problems from the checks (while typing, on save, on publish) are listed with
 * their lines and marked in the editors. Save keeps a draft; Publish saves what is unsaved,
 * then makes the draft the version sends use.
 */
import { type KeyboardEvent, useId, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { type Schemas, unwrap } from "../api/client";
import { type Translate, useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ErrorNotice } from "../ui/notices";
import { useUnsavedChangesGuard } from "../ui/use-unsaved-changes-guard";
import { LocaleBar } from "./locale-bar";
import { useLanguageName } from "./locale-names";
import { SourceEditor, type SourceEditorHandle } from "./source-editor";
import { type SourceProblem, type TemplatePart, diagnosticsFor, problemDescriber, problemsFrom } from "./template-problems";
import { TemplatePreview } from "./template-preview";
import { TestSendForm } from "./test-send-form";
import { useLivePreview } from "./use-live-preview";
import { VariablePicker } from "./variable-picker";
import type { TemplateVariable } from "./variable-snippets";
import "./templates.css";

type LocaleContent = Schemas["LocaleContent"];
/** What the editor holds: the main content in `locale`, and its translations by locale. */
export interface Content extends LocaleContent {
  locale: string;
  translations: Record<string, LocaleContent>;
}
type Source = "mjml" | "text";

const TARGET_KEYS = {
  subject: "templates.editor.targetSubject",
  mjml: "templates.editor.targetMjml",
  text: "templates.editor.targetText",
} as const;

function contentOf(template: Schemas["TemplatePublic"]): Content {
  const newest = template.versions[0];
  const translations: Record<string, LocaleContent> = {};
  for (const [locale, part] of Object.entries(newest?.translations ?? {})) {
    translations[locale] = { subject: part.subject, mjml: part.mjml, text: part.text };
  }
  return {
    subject: newest?.subject ?? "",
    mjml: newest?.mjml ?? "",
    text: newest?.text ?? "",
    locale: newest?.locale ?? "en",
    translations,
  };
}

/** The locales of the content: the main one, then the translations' in order. */
function localesOf(content: Content): string[] {
  return [content.locale, ...Object.keys(content.translations).sort()];
}

/** One locale's subject, MJML and text. */
export function partOf(content: Content, locale: string): LocaleContent {
  if (locale === content.locale) return { subject: content.subject, mjml: content.mjml, text: content.text };
  return content.translations[locale] ?? { subject: "", mjml: "", text: "" };
}

function withPart(content: Content, locale: string, change: Partial<LocaleContent>): Content {
  if (locale === content.locale) return { ...content, ...change };
  return { ...content, translations: { ...content.translations, [locale]: { ...partOf(content, locale), ...change } } };
}

function sameContent(a: Content, b: Content): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function savedState(template: Schemas["TemplatePublic"], t: Translate): string {
  if (template.draft_version !== null) {
    return t("templates.editor.savedDraft", { version: String(template.draft_version) });
  }
  return template.current_version === null
    ? t("templates.editor.saved")
    : t("templates.editor.savedPublished", { version: String(template.current_version) });
}

const SOURCES = [
  { source: "mjml", label: "templates.editor.mjmlTab" },
  { source: "text", label: "templates.editor.textTab" },
] as const;

/** Tabs (not toggle buttons) for the two sources: arrow keys move between them. */
function SourceTabs({ source, onSelect }: { source: Source; onSelect: (source: Source) => void }) {
  const t = useT();
  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const next = source === "mjml" ? "text" : "mjml";
    onSelect(next);
    document.getElementById(`template-tab-${next}`)?.focus();
  }
  return (
    <div className="template-editor__tabs" role="tablist" aria-label={t("templates.editor.sourceToEdit")}>
      {SOURCES.map((tab) => (
        <button
          key={tab.source}
          id={`template-tab-${tab.source}`}
          type="button"
          role="tab"
          className="button--secondary"
          aria-selected={source === tab.source}
          aria-controls={`template-source-${tab.source}`}
          tabIndex={source === tab.source ? 0 : -1}
          onClick={() => onSelect(tab.source)}
          onKeyDown={onKeyDown}
        >
          {t(tab.label)}
        </button>
      ))}
    </div>
  );
}

interface TemplateEditorProps {
  template: Schemas["TemplatePublic"];
  variables: { list: readonly TemplateVariable[]; error: Error | null; retry: () => void };
}

export function TemplateEditor({ template: loaded, variables }: TemplateEditorProps) {
  const { api } = useSession();
  const t = useT();
  const languageName = useLanguageName();
  const subjectId = useId();
  const [template, setTemplate] = useState(loaded);
  const [saved, setSaved] = useState(() => contentOf(loaded));
  const [content, setContent] = useState(saved);
  const [selected, setSelected] = useState(saved.locale);
  const [source, setSource] = useState<Source>("mjml");
  const [target, setTarget] = useState<TemplatePart>("mjml");
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [actionProblems, setActionProblems] = useState<SourceProblem[]>([]);
  const [published, setPublished] = useState<number | null>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const editors = { mjml: useRef<SourceEditorHandle>(null), text: useRef<SourceEditorHandle>(null) };

  const locale = localesOf(content).includes(selected) ? selected : content.locale;
  const part = partOf(content, locale);
  // Problems of the main content carry no locale; those of a translation carry its own.
  const problemLocale = locale === content.locale ? null : locale;
  const live = useLivePreview(api, template.name, content, locale);
  const dirty = !sameContent(content, saved);
  // A save's or publish's own problems until the next edit; the live check's otherwise.
  const problems = actionProblems.length > 0 ? actionProblems : live.problems;
  const mjmlDiagnostics = useMemo(() => diagnosticsFor(problems, "mjml", problemLocale), [problems, problemLocale]);
  const textDiagnostics = useMemo(() => diagnosticsFor(problems, "text", problemLocale), [problems, problemLocale]);
  const describe = useMemo(() => problemDescriber(t, languageName), [t, languageName]);
  const withProblems = useMemo(
    () => new Set(problems.flatMap((problem) => (problem.part === null ? [] : [problem.locale ?? content.locale]))),
    [problems, content.locale],
  );

  const leaveDialog = useUnsavedChangesGuard(dirty, t("templates.editor.guard", { name: template.name }));

  function changed(next: Content) {
    setContent(next);
    setActionProblems([]);
    setPublished(null);
  }

  function edit(change: Partial<LocaleContent>) {
    setContent((current) => withPart(current, locale, change));
    setActionProblems([]);
    setPublished(null);
  }

  function addLocale(added: string) {
    // A copy of the main content: the marketer translates it in place.
    const main = partOf(content, content.locale);
    changed({ ...content, translations: { ...content.translations, [added]: main } });
    setSelected(added);
  }

  function setMainLocale(next: string) {
    changed({ ...content, locale: next });
    setSelected(next);
  }

  function removeLocale(removed: string) {
    const { [removed]: _gone, ...rest } = content.translations;
    changed({ ...content, translations: rest });
    setSelected(content.locale);
  }

  function insert(snippet: string) {
    if (target !== "subject") {
      editors[target].current?.insert(snippet);
      return;
    }
    const input = subjectRef.current;
    const start = input?.selectionStart ?? part.subject.length;
    const end = input?.selectionEnd ?? start;
    edit({ subject: part.subject.slice(0, start) + snippet + part.subject.slice(end) });
    requestAnimationFrame(() => {
      input?.focus();
      input?.setSelectionRange(start + snippet.length, start + snippet.length);
    });
  }

  async function saveDraft(): Promise<boolean> {
    const snapshot = content;
    try {
      const updated = await unwrap(
        api.PUT("/api/v1/templates/{template}/draft", {
          params: { path: { template: template.name } },
          body: snapshot,
        }),
      );
      setTemplate(updated);
      setSaved(snapshot);
      return true;
    } catch (error) {
      setActionProblems(problemsFrom(error));
      return false;
    }
  }

  async function run(action: "save" | "publish") {
    setBusy(action);
    setActionProblems([]);
    setPublished(null);
    try {
      if (dirty && !(await saveDraft())) return;
      if (action === "publish") {
        const updated = await unwrap(
          api.POST("/api/v1/templates/{template}/publish", { params: { path: { template: template.name } } }),
        );
        setTemplate(updated);
        setPublished(updated.current_version);
      }
    } catch (error) {
      setActionProblems(problemsFrom(error));
    } finally {
      setBusy(null);
    }
  }

  const canPublish = dirty || template.draft_version !== null;

  return (
    <div className="template-editor">
      <header className="template-editor__header">
        <div>
          <Link to="/templates">{t("templates.editor.back")}</Link>
          <h1>{template.name}</h1>
          {template.description ? <p className="hint">{template.description}</p> : null}
        </div>
        <div className="template-editor__actions">
          <span className={`template-editor__state${dirty ? " template-editor__state--dirty" : ""}`} role="status">
            {dirty
              ? t("templates.editor.unsaved")
              : published !== null
                ? t("templates.editor.justPublished", { version: String(published) })
                : savedState(template, t)}
          </span>
          <button type="button" className="button--secondary" disabled={!dirty || busy !== null} onClick={() => void run("save")}>
            {busy === "save" ? t("templates.editor.saving") : t("templates.editor.save")}
          </button>
          <button type="button" disabled={!canPublish || busy !== null} onClick={() => void run("publish")}>
            {busy === "publish" ? t("templates.editor.publishing") : t("templates.editor.publish")}
          </button>
        </div>
      </header>

      {problems.length > 0 ? (
        <div className="notice notice--error template-problems" role="alert">
          <p className="template-problems__title">
            {actionProblems.length > 0 ? t("templates.editor.notSaved") : t("templates.editor.doesNotRender")}
          </p>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>{describe(problem)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <LocaleBar
        locales={localesOf(content)}
        selected={locale}
        withProblems={withProblems}
        missing={template.missing_locales}
        onSelect={setSelected}
        onAdd={addLocale}
        onRemove={removeLocale}
        onMainLocale={setMainLocale}
      />

      <div className="template-editor__panes">
        <section className="template-editor__source" aria-label={t("templates.editor.source")}>
          <label htmlFor={subjectId}>{t("templates.editor.subject")}</label>
          <input
            id={subjectId}
            ref={subjectRef}
            value={part.subject}
            lang={locale}
            onChange={(event) => edit({ subject: event.target.value })}
            onFocus={() => setTarget("subject")}
            aria-invalid={problems.some(
              (problem) => problem.part === "subject" && (problem.locale ?? null) === problemLocale,
            )}
          />
          <SourceTabs source={source} onSelect={(next) => { setSource(next); setTarget(next); }} />
          <div role="tabpanel" id="template-source-mjml" aria-labelledby="template-tab-mjml" hidden={source !== "mjml"}>
            <SourceEditor
              key={`mjml-${locale}`}
              ref={editors.mjml}
              label={t("templates.editor.mjmlSource")}
              language="mjml"
              value={part.mjml}
              onChange={(mjml) => edit({ mjml })}
              onFocus={() => setTarget("mjml")}
              diagnostics={mjmlDiagnostics}
            />
          </div>
          <div role="tabpanel" id="template-source-text" aria-labelledby="template-tab-text" hidden={source !== "text"}>
            <SourceEditor
              key={`text-${locale}`}
              ref={editors.text}
              label={t("templates.editor.textSource")}
              language="text"
              value={part.text}
              onChange={(text) => edit({ text })}
              onFocus={() => setTarget("text")}
              diagnostics={textDiagnostics}
            />
          </div>
          <div className="template-editor__tools">
            {variables.error ? (
              <ErrorNotice
                error={t("templates.editor.variablesFailed", { message: variables.error.message })}
                onRetry={variables.retry}
              />
            ) : (
              <VariablePicker variables={variables.list} onInsert={insert} target={t(TARGET_KEYS[target])} />
            )}
            <TestSendForm templateName={template.name} content={content} locale={locale} />
          </div>
        </section>
        <TemplatePreview preview={live.preview} updating={live.updating} stale={live.problems.length > 0} />
      </div>
      {leaveDialog}
    </div>
  );
}
