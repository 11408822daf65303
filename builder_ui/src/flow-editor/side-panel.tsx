/** The panel beside the canvas: the selected step's form (or the trigger's) and its actions. */
import type { Problem } from "../api/client";
import type { Catalog, Definition, Step } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { StepPanel } from "../step-forms/step-panel";
import { TriggerPanel } from "../step-forms/trigger-panel";
import { actionStepIds, canMove, deleteStep, duplicateStep, findStep, moveStep, replaceStep } from "./edit-definition";
import { TRIGGER_NODE_ID } from "./to-definition";

export interface SidePanelProps {
  definition: Definition;
  catalog: Catalog;
  problems: readonly Problem[];
  selectedId: string | null;
  readOnly: boolean;
  onChange: (definition: Definition) => void;
  onSelect: (nodeId: string | null) => void;
}

function StepActions({ step, definition, onChange, onSelect }: { step: Step } & Pick<SidePanelProps, "definition" | "onChange" | "onSelect">) {
  const t = useT();
  return (
    <div className="step-actions" role="group" aria-label={t("flow-editor.step-actions", { id: step.id })}>
      <button type="button" className="button--secondary" onClick={() => onChange(moveStep(definition, step.id, -1))} disabled={!canMove(definition, step.id, -1)}>
        {t("flow-editor.move-up")}
      </button>
      <button type="button" className="button--secondary" onClick={() => onChange(moveStep(definition, step.id, 1))} disabled={!canMove(definition, step.id, 1)}>
        {t("flow-editor.move-down")}
      </button>
      <button
        type="button"
        className="button--secondary"
        onClick={() => {
          const copy = duplicateStep(definition, step.id);
          if (!copy) return;
          onChange(copy.definition);
          onSelect(copy.id);
        }}
      >
        {t("flow-editor.duplicate-step")}
      </button>
      <button
        type="button"
        className="button--danger"
        onClick={() => {
          onChange(deleteStep(definition, step.id));
          onSelect(null);
        }}
      >
        {t("flow-editor.delete-step")}
      </button>
    </div>
  );
}

export function SidePanel({ definition, catalog, problems, selectedId, readOnly, onChange, onSelect }: SidePanelProps) {
  const t = useT();
  if (selectedId === TRIGGER_NODE_ID) {
    return (
      <TriggerPanel
        definition={definition}
        catalog={catalog}
        problems={problems.filter((problem) => !problem.step_id)}
        readOnly={readOnly}
        // The trigger's panel edits the header only: the steps stay as the canvas has them.
        onChange={(edited) => onChange({ ...edited, steps: definition.steps })}
      />
    );
  }
  const found = selectedId === null ? undefined : findStep(definition.steps, selectedId);
  if (!found) {
    return (
      <div className="side-panel__hint">
        <h2>{t("flow-editor.hint.title")}</h2>
        <p className="hint">
          {t("flow-editor.hint.select")}
          {readOnly ? "" : ` ${t("flow-editor.hint.add")}`}
        </p>
      </div>
    );
  }
  const { step } = found;
  return (
    <>
      {readOnly ? null : <StepActions step={step} definition={definition} onChange={onChange} onSelect={onSelect} />}
      <StepPanel
        key={step.id}
        step={step}
        catalog={catalog}
        problems={problems.filter((problem) => problem.step_id === step.id)}
        readOnly={readOnly}
        triggerEvent={definition.trigger.event}
        actionStepIds={actionStepIds(definition.steps)}
        onChange={(edited) => onChange(replaceStep(definition, edited))}
      />
    </>
  );
}
