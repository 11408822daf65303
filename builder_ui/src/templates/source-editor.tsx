/**
 * A CodeMirror 6 editor for one template source (the MJML or the text part): line numbers,
 * HTML highlighting with Jinja marked over it, and the API's problems as lint diagnostics on
 * their lines. The parent owns the text; `SourceEditorHandle.insert` types at the cursor.
 */
import { html } from "@codemirror/lang-html";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, basicSetup } from "codemirror";
import { type Ref, useEffect, useImperativeHandle, useLayoutEffect, useRef } from "react";
import { sourceHighlight } from "./source-highlight";
import type { LineDiagnostic } from "./template-problems";

export interface SourceEditorHandle {
  /** Replace the selection with `text` (typing it at the cursor) and focus the editor. */
  insert: (text: string) => void;
}

interface SourceEditorProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  diagnostics: readonly LineDiagnostic[];
  language: "mjml" | "text";
  onFocus?: () => void;
  ref?: Ref<SourceEditorHandle>;
}

/** Diagnostics on whole lines; a line past the end (a stale problem) marks the last one. */
export function lineDiagnostics(state: EditorState, problems: readonly LineDiagnostic[]): Diagnostic[] {
  return problems.map(({ line, message }) => {
    const target = state.doc.line(Math.min(Math.max(line, 1), state.doc.lines));
    return { from: target.from, to: target.to, severity: "error", message };
  });
}

export function SourceEditor({ label, value, onChange, diagnostics, language, onFocus, ref }: SourceEditorProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<EditorView | null>(null);
  // Callbacks through refs: the editor is built once, the parent's handlers change.
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const onFocusRef = useRef(onFocus);
  onFocusRef.current = onFocus;

  // Built before the browser paints: no frame shows an empty box where the source belongs.
  useLayoutEffect(() => {
    const host = hostRef.current;
    if (host === null) return undefined;
    const extensions: Extension[] = [
      basicSetup,
      EditorView.lineWrapping,
      lintGutter(),
      sourceHighlight,
      // The explicit tabindex tells checkers (axe) what browsers already do: the scrolling
      // region holds a focusable text box.
      EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChangeRef.current(update.state.doc.toString());
        if (update.focusChanged && update.view.hasFocus) onFocusRef.current?.();
      }),
    ];
    if (language === "mjml") extensions.push(html());
    const view = new EditorView({ parent: host, state: EditorState.create({ doc: value, extensions }) });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
    };
    // Built once per label/language; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [label, language]);

  useEffect(() => {
    const view = viewRef.current;
    if (view === null || view.state.doc.toString() === value) return;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    const view = viewRef.current;
    if (view !== null) view.dispatch(setDiagnostics(view.state, lineDiagnostics(view.state, diagnostics)));
  }, [diagnostics, value]);

  useImperativeHandle(ref, () => ({
    insert(text: string) {
      const view = viewRef.current;
      if (view === null) return;
      view.dispatch(view.state.replaceSelection(text));
      view.focus();
    },
  }));

  return <div className="source-editor" ref={hostRef} />;
}
