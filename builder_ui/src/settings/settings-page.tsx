/** Placeholder: this page is being built (issue 6). */
export function SettingsPage() {
  return <h1>Settings</h1>;
}
