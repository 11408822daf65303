import { EditorState } from "@codemirror/state";
import { render, screen } from "@testing-library/react";
import { createRef } from "react";
import { describe, expect, it, vi } from "vitest";
import { SourceEditor, type SourceEditorHandle, lineDiagnostics } from "./source-editor";

describe("lineDiagnostics", () => {
  const state = EditorState.create({ doc: "<mjml>\n  {% if discount %}\n</mjml>" });

  it("marks the whole line a problem names", () => {
    expect(lineDiagnostics(state, [{ line: 2, message: "Unexpected end of template" }])).toEqual([
      { from: 7, to: 26, severity: "error", message: "Unexpected end of template" },
    ]);
  });

  it("marks the last line for a problem past the end (the source changed since)", () => {
    const [diagnostic] = lineDiagnostics(state, [{ line: 40, message: "stale" }]);
    expect(diagnostic?.from).toBe(27);
  });
});

describe("SourceEditor", () => {
  it("is a labelled text box showing the source, and inserts at the cursor", () => {
    const onChange = vi.fn();
    const handle = createRef<SourceEditorHandle>();
    render(
      <SourceEditor ref={handle} label="Template source" language="mjml" value="<mjml></mjml>" onChange={onChange} diagnostics={[]} />,
    );

    const editor = screen.getByRole("textbox", { name: "Template source" });
    expect(editor).toHaveTextContent("<mjml></mjml>");

    handle.current?.insert("{{ cart.total }}");
    expect(onChange).toHaveBeenLastCalledWith("{{ cart.total }}<mjml></mjml>");
  });
});
