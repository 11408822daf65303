/** What publishing changes, against the live version: steps added, removed, changed, moved. */
import type { ReactNode } from "react";
import type { Schemas } from "../api/client";

type Diff = Schemas["DefinitionDiffPublic"];
type FieldChange = Schemas["FieldChangePublic"];

function show(value: unknown): string {
  if (value === null || value === undefined) return "(not set)";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

export function isEmptyDiff(diff: Diff): boolean {
  return (
    diff.added.length === 0 &&
    diff.removed.length === 0 &&
    diff.changed.length === 0 &&
    diff.moved.length === 0 &&
    diff.trigger.length === 0 &&
    diff.settings.length === 0 &&
    diff.exit_on === null &&
    diff.name === null
  );
}

function Change({ change }: { change: FieldChange }) {
  return (
    <>
      <code>{change.field}</code>: <del>{show(change.before)}</del> → <ins>{show(change.after)}</ins>
    </>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="diff-view__section">
      <h3>{title}</h3>
      <ul>{children}</ul>
    </section>
  );
}

export function DiffView({ diff }: { diff: Diff }) {
  if (isEmptyDiff(diff)) return <p>Nothing changed.</p>;
  const header = [
    ...(diff.name ? [diff.name] : []),
    ...diff.trigger.map((change) => ({ ...change, field: `trigger.${change.field}` })),
    ...(diff.exit_on ? [diff.exit_on] : []),
    ...diff.settings.map((change) => ({ ...change, field: `settings.${change.field}` })),
  ];
  return (
    <div className="diff-view">
      {diff.added.length > 0 ? (
        <Section title="Added steps">
          {diff.added.map((step) => (
            <li key={step.step_id} className="diff-view__added">
              + <strong>{step.step_id}</strong> ({step.type}) in {step.branch}
            </li>
          ))}
        </Section>
      ) : null}
      {diff.removed.length > 0 ? (
        <Section title="Removed steps">
          {diff.removed.map((step) => (
            <li key={step.step_id} className="diff-view__removed">
              − <strong>{step.step_id}</strong> ({step.type}) from {step.branch}
            </li>
          ))}
        </Section>
      ) : null}
      {diff.changed.length > 0 ? (
        <Section title="Changed steps">
          {diff.changed.map((step) => (
            <li key={step.step_id}>
              <strong>{step.step_id}</strong> ({step.type})
              <ul>
                {step.fields.map((change) => (
                  <li key={change.field}>
                    <Change change={change} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </Section>
      ) : null}
      {diff.moved.length > 0 ? (
        <Section title="Moved steps">
          {diff.moved.map((move) => (
            <li key={move.step_id}>
              <strong>{move.step_id}</strong>: from {move.before} to {move.after}
            </li>
          ))}
        </Section>
      ) : null}
      {header.length > 0 ? (
        <Section title="Trigger and settings">
          {header.map((change) => (
            <li key={change.field}>
              <Change change={change} />
            </li>
          ))}
        </Section>
      ) : null}
    </div>
  );
}
