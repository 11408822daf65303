/** The A/B split's variants: names, weights and each one's share; removing one drops its steps. */
import { useId, useState } from "react";
import type { Problem, Schemas } from "../api/client";
import type { Step } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ProblemList } from "./problem-list";

type AbSplitStep = Extract<Step, { type: "ab_split" }>;

export interface AbSplitFormProps {
  step: AbSplitStep;
  problems: readonly Problem[];
  readOnly: boolean;
  onChange: (step: Step) => void;
}

type Variant = Schemas["Variant"];

function stepCount(steps: readonly Step[] | undefined): number {
  return (steps ?? []).length;
}

export function AbSplitForm({ step, problems, readOnly, onChange }: AbSplitFormProps) {
  const t = useT();
  const id = useId();
  const [removing, setRemoving] = useState<number | null>(null);
  const total = step.variants.reduce(
    (sum, variant) => sum + (Number.isFinite(variant.weight) ? variant.weight : 0),
    0,
  );
  const setVariant = (index: number, variant: Variant) =>
    onChange({ ...step, variants: step.variants.map((old, at) => (at === index ? variant : old)) });
  const remove = (index: number) => onChange({ ...step, variants: step.variants.filter((_, at) => at !== index) });
  const pending = removing === null ? undefined : step.variants[removing];

  function addVariant() {
    const taken = new Set(step.variants.map((variant) => variant.name));
    const nameAt = (n: number) => t("step-forms.ab.new-name", { letter: n < 26 ? String.fromCharCode(65 + n) : String(n + 1) });
    let n = step.variants.length;
    while (taken.has(nameAt(n))) n += 1;
    const name = nameAt(n);
    // Weight 0: a new variant changes nobody's path until it is given a share.
    onChange({ ...step, variants: [...step.variants, { name, weight: 0, steps: [] }] });
  }

  return (
    <fieldset className="step-forms__variants">
      <legend>{t("step-forms.ab.variants")}</legend>
      <ProblemList problems={problems.filter((problem) => problem.field.includes("variants"))} title="" compact />
      <ol className="step-forms__variant-list">
        {step.variants.map((variant, index) => {
          const number = index + 1;
          const share = total > 0 ? Math.round((variant.weight / total) * 100) : 0;
          return (
            <li key={index} className="step-forms__variant">
              <div className="step-forms__field">
                <label htmlFor={`${id}-${index}-name`}>{t("step-forms.ab.name", { number })}</label>
                <input
                  id={`${id}-${index}-name`}
                  type="text"
                  value={variant.name}
                  disabled={readOnly}
                  onChange={(event) => setVariant(index, { ...variant, name: event.target.value })}
                />
              </div>
              <div className="step-forms__field step-forms__weight">
                <label htmlFor={`${id}-${index}-weight`}>{t("step-forms.ab.weight", { number })}</label>
                <input
                  id={`${id}-${index}-weight`}
                  type="number"
                  min={0}
                  step={1}
                  value={Number.isFinite(variant.weight) ? variant.weight : ""}
                  disabled={readOnly}
                  aria-describedby={`${id}-${index}-share`}
                  onChange={(event) =>
                    setVariant(index, {
                      ...variant,
                      weight: event.target.value === "" ? 0 : Number(event.target.value),
                    })
                  }
                />
                <span id={`${id}-${index}-share`} className="step-forms__muted">
                  {t("step-forms.ab.share", { share })}
                </span>
              </div>
              {readOnly ? null : (
                <button
                  type="button"
                  className="button--secondary"
                  disabled={step.variants.length <= 2}
                  title={step.variants.length <= 2 ? t("step-forms.ab.at-least-two") : undefined}
                  onClick={() => (stepCount(variant.steps) > 0 ? setRemoving(index) : remove(index))}
                >
                  {t("step-forms.ab.remove", { number })}
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <p className="step-forms__total" aria-live="polite">
        {t("step-forms.ab.total", { total })}
        {total <= 0 ? t("step-forms.ab.total-zero") : ""}
      </p>
      {readOnly ? null : (
        <button type="button" className="button--secondary" onClick={addVariant}>
          {t("step-forms.ab.add")}
        </button>
      )}
      {pending !== undefined && removing !== null ? (
        <ConfirmDialog
          title={t("step-forms.ab.remove-title", { name: pending.name })}
          confirmLabel={t("step-forms.ab.remove-confirm")}
          cancelLabel={t("step-forms.ab.remove-cancel")}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            remove(removing);
            setRemoving(null);
          }}
        >
          <p>{t("step-forms.ab.remove-steps", { count: stepCount(pending.steps) })}</p>
        </ConfirmDialog>
      ) : null}
    </fieldset>
  );
}
