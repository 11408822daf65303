/** What the step-form tests share: the real catalog (a fixture) and a stateful parent. */
import { useState, type ReactElement } from "react";
import type { Catalog } from "../definition/definition";
import fixture from "../step-forms/catalog.fixture.json";

export const TEMPLATES = ["cart-discount", "cart-reminder", "owner-notification"];

/** The catalog `GET /api/v1/catalog` gives (catalog.fixture.json), with these templates. */
export function testCatalog(): Catalog {
  return structuredClone({ ...(fixture as Omit<Catalog, "templates">), templates: TEMPLATES });
}

/**
 * Keeps the value a form edits, as the flow editor does, and reports each change, so a test
 * types several characters and sees the form follow.
 */
export function Controlled<T>({
  initial,
  onChange,
  render,
}: {
  initial: T;
  onChange: (value: T) => void;
  render: (value: T, change: (value: T) => void) => ReactElement;
}) {
  const [value, setValue] = useState(initial);
  return render(value, (next) => {
    setValue(next);
    onChange(next);
  });
}

/** Serious or critical axe-core violations in `container` (colour contrast needs a real browser). */
export async function seriousA11yViolations(container: Element): Promise<string[]> {
  const axe = (await import("axe-core")).default;
  const results = await axe.run(container, { rules: { "color-contrast": { enabled: false } } });
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.html).join(" | ")}`);
}
