/** Placeholder: this page is being built (issue 6). */
export function JourneysPage() {
  return <h1>Journeys</h1>;
}
