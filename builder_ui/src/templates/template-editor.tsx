/**
 * Editing one template: subject, MJML source and text part on the left, the live preview on
 * the right. Problems from the checks (while typing, on save, on publish) are listed with
 * their lines and marked in the editors. Save keeps a draft; Publish saves what is unsaved,
 * then makes the draft the version sends use.
 */
import { type KeyboardEvent, useId, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { type Schemas, unwrap } from "../api/client";
import { useSession } from "../session/session";
import { ErrorNotice } from "../ui/notices";
import { useUnsavedChangesGuard } from "../ui/use-unsaved-changes-guard";
import { SourceEditor, type SourceEditorHandle } from "./source-editor";
import { type SourceProblem, type TemplatePart, describeProblem, diagnosticsFor, problemsFrom } from "./template-problems";
import { TemplatePreview } from "./template-preview";
import { TestSendForm } from "./test-send-form";
import { useLivePreview } from "./use-live-preview";
import { VariablePicker } from "./variable-picker";
import type { TemplateVariable } from "./variable-snippets";
import "./templates.css";

type Content = Schemas["TemplateContent"];
type Source = "mjml" | "text";

const TARGET_NAMES: Record<TemplatePart, string> = {
  subject: "the subject",
  mjml: "the MJML source",
  text: "the text part",
};

function contentOf(template: Schemas["TemplatePublic"]): Content {
  const newest = template.versions[0];
  return { subject: newest?.subject ?? "", mjml: newest?.mjml ?? "", text: newest?.text ?? "" };
}

function sameContent(a: Content, b: Content): boolean {
  return a.subject === b.subject && a.mjml === b.mjml && a.text === b.text;
}

function savedState(template: Schemas["TemplatePublic"]): string {
  if (template.draft_version !== null) {
    return `Saved as draft version ${template.draft_version}, not published`;
  }
  return template.current_version === null ? "Saved" : `Saved: version ${template.current_version} is published`;
}

const SOURCES: { source: Source; label: string }[] = [
  { source: "mjml", label: "MJML" },
  { source: "text", label: "Text part" },
];

/** Tabs (not toggle buttons) for the two sources: arrow keys move between them. */
function SourceTabs({ source, onSelect }: { source: Source; onSelect: (source: Source) => void }) {
  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    const next = source === "mjml" ? "text" : "mjml";
    onSelect(next);
    document.getElementById(`template-tab-${next}`)?.focus();
  }
  return (
    <div className="template-editor__tabs" role="tablist" aria-label="Source to edit">
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
          {tab.label}
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
  const subjectId = useId();
  const [template, setTemplate] = useState(loaded);
  const [saved, setSaved] = useState(() => contentOf(loaded));
  const [content, setContent] = useState(saved);
  const [source, setSource] = useState<Source>("mjml");
  const [target, setTarget] = useState<TemplatePart>("mjml");
  const [busy, setBusy] = useState<"save" | "publish" | null>(null);
  const [actionProblems, setActionProblems] = useState<SourceProblem[]>([]);
  const [published, setPublished] = useState<number | null>(null);
  const subjectRef = useRef<HTMLInputElement>(null);
  const editors = { mjml: useRef<SourceEditorHandle>(null), text: useRef<SourceEditorHandle>(null) };

  const live = useLivePreview(api, template.name, content);
  const dirty = !sameContent(content, saved);
  // A save's or publish's own problems until the next edit; the live check's otherwise.
  const problems = actionProblems.length > 0 ? actionProblems : live.problems;
  const mjmlDiagnostics = useMemo(() => diagnosticsFor(problems, "mjml"), [problems]);
  const textDiagnostics = useMemo(() => diagnosticsFor(problems, "text"), [problems]);

  const leaveDialog = useUnsavedChangesGuard(dirty, `the template “${template.name}”`);

  function edit(change: Partial<Content>) {
    setContent((current) => ({ ...current, ...change }));
    setActionProblems([]);
    setPublished(null);
  }

  function insert(snippet: string) {
    if (target !== "subject") {
      editors[target].current?.insert(snippet);
      return;
    }
    const input = subjectRef.current;
    const start = input?.selectionStart ?? content.subject.length;
    const end = input?.selectionEnd ?? start;
    edit({ subject: content.subject.slice(0, start) + snippet + content.subject.slice(end) });
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
          <Link to="/templates">← Templates</Link>
          <h1>{template.name}</h1>
          {template.description ? <p className="hint">{template.description}</p> : null}
        </div>
        <div className="template-editor__actions">
          <span className={`template-editor__state${dirty ? " template-editor__state--dirty" : ""}`} role="status">
            {dirty ? "Unsaved changes" : published !== null ? `Published version ${published}` : savedState(template)}
          </span>
          <button type="button" className="button--secondary" disabled={!dirty || busy !== null} onClick={() => void run("save")}>
            {busy === "save" ? "Saving…" : "Save draft"}
          </button>
          <button type="button" disabled={!canPublish || busy !== null} onClick={() => void run("publish")}>
            {busy === "publish" ? "Publishing…" : "Publish"}
          </button>
        </div>
      </header>

      {problems.length > 0 ? (
        <div className="notice notice--error template-problems" role="alert">
          <p className="template-problems__title">
            {actionProblems.length > 0 ? "Not saved:" : "This template does not render:"}
          </p>
          <ul>
            {problems.map((problem, index) => (
              <li key={index}>{describeProblem(problem)}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div className="template-editor__panes">
        <section className="template-editor__source" aria-label="Source">
          <label htmlFor={subjectId}>Subject</label>
          <input
            id={subjectId}
            ref={subjectRef}
            value={content.subject}
            onChange={(event) => edit({ subject: event.target.value })}
            onFocus={() => setTarget("subject")}
            aria-invalid={problems.some((problem) => problem.part === "subject")}
          />
          <SourceTabs source={source} onSelect={(next) => { setSource(next); setTarget(next); }} />
          <div role="tabpanel" id="template-source-mjml" aria-labelledby="template-tab-mjml" hidden={source !== "mjml"}>
            <SourceEditor
              ref={editors.mjml}
              label="Template source"
              language="mjml"
              value={content.mjml}
              onChange={(mjml) => edit({ mjml })}
              onFocus={() => setTarget("mjml")}
              diagnostics={mjmlDiagnostics}
            />
          </div>
          <div role="tabpanel" id="template-source-text" aria-labelledby="template-tab-text" hidden={source !== "text"}>
            <SourceEditor
              ref={editors.text}
              label="Text part source"
              language="text"
              value={content.text}
              onChange={(text) => edit({ text })}
              onFocus={() => setTarget("text")}
              diagnostics={textDiagnostics}
            />
          </div>
          <div className="template-editor__tools">
            {variables.error ? (
              <ErrorNotice error={`The variables could not be loaded: ${variables.error.message}`} onRetry={variables.retry} />
            ) : (
              <VariablePicker variables={variables.list} onInsert={insert} target={TARGET_NAMES[target]} />
            )}
            <TestSendForm templateName={template.name} content={content} />
          </div>
        </section>
        <TemplatePreview preview={live.preview} updating={live.updating} stale={live.problems.length > 0} />
      </div>
      {leaveDialog}
    </div>
  );
}
