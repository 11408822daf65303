/** What publishing changes, against the live version: steps added, removed, changed, moved. */
import type { ReactNode } from "react";
import type { Schemas } from "../api/client";
import { useT, type Translate } from "../i18n/i18n";

type Diff = Schemas["DefinitionDiffPublic"];
type FieldChange = Schemas["FieldChangePublic"];

function show(value: unknown, t: Translate): string {
  if (value === null || value === undefined) return t("flow-editor.diff.not-set");
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
  const t = useT();
  return (
    <>
      <code>{change.field}</code>: <del>{show(change.before, t)}</del> → <ins>{show(change.after, t)}</ins>
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
  const t = useT();
  if (isEmptyDiff(diff)) return <p>{t("flow-editor.diff.nothing")}</p>;
  const header = [
    ...(diff.name ? [diff.name] : []),
    ...diff.trigger.map((change) => ({ ...change, field: `trigger.${change.field}` })),
    ...(diff.exit_on ? [diff.exit_on] : []),
    ...diff.settings.map((change) => ({ ...change, field: `settings.${change.field}` })),
  ];
  return (
    <div className="diff-view">
      {diff.added.length > 0 ? (
        <Section title={t("flow-editor.diff.added")}>
          {diff.added.map((step) => (
            <li key={step.step_id} className="diff-view__added">
              + <strong>{step.step_id}</strong> {t("flow-editor.diff.added-item", { type: step.type, branch: step.branch })}
            </li>
          ))}
        </Section>
      ) : null}
      {diff.removed.length > 0 ? (
        <Section title={t("flow-editor.diff.removed")}>
          {diff.removed.map((step) => (
            <li key={step.step_id} className="diff-view__removed">
              − <strong>{step.step_id}</strong> {t("flow-editor.diff.removed-item", { type: step.type, branch: step.branch })}
            </li>
          ))}
        </Section>
      ) : null}
      {diff.changed.length > 0 ? (
        <Section title={t("flow-editor.diff.changed")}>
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
        <Section title={t("flow-editor.diff.moved")}>
          {diff.moved.map((move) => (
            <li key={move.step_id}>
              <strong>{move.step_id}</strong>: {t("flow-editor.diff.moved-item", { before: move.before, after: move.after })}
            </li>
          ))}
        </Section>
      ) : null}
      {header.length > 0 ? (
        <Section title={t("flow-editor.trigger-and-settings")}>
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
