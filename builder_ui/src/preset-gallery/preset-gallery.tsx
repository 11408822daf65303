/** Placeholder: this page is being built (issue 6). */
export function PresetGallery() {
  return <h1>Presets</h1>;
}
