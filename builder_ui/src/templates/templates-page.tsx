/** Placeholder: this page is being built (issue 6). */
export function TemplatesPage() {
  return <h1>Templates</h1>;
}
