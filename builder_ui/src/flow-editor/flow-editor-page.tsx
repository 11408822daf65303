/** Placeholder: this page is being built (issue 6). */
export function FlowEditorPage() {
  return <h1>Automation</h1>;
}
