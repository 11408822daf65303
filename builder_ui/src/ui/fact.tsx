import type { ReactNode } from "react";

/** One term and its value in a `<dl>` of facts (a cart's, a customer's). */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
