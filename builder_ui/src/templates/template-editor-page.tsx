/** Placeholder: this page is being built (issue 6). */
export function TemplateEditorPage() {
  return <h1>Template</h1>;
}
