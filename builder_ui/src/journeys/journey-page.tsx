/** Placeholder: this page is being built (issue 6). */
export function JourneyPage() {
  return <h1>Journey</h1>;
}
