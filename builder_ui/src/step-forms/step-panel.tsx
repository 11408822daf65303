/**
 * The side panel that edits one step: a form per step type, the action's params generated
 * from its JSON Schema, and the API's problems at the top and beside the input they concern.
 */
import { useId } from "react";
import type { Problem } from "../api/client";
import type { Catalog, Step } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { AbSplitForm } from "./ab-split-form";
import { ConditionBuilder } from "./condition-builder";
import { fieldsFor } from "./condition";
import { DurationInput } from "./duration-input";
import { describedBy, FieldHint } from "./field-hint";
import { JsonField } from "./json-field";
import { asSchema } from "./json-schema";
import { eventLabel, stepTypeLabel, WEEKDAYS, type Weekday } from "./labels";
import { messagesAt } from "./problems";
import { ProblemList } from "./problem-list";
import { rich } from "../i18n/rich-text";
import { SchemaForm } from "./schema-form";
import { TimeZoneInput } from "./time-zone-input";
import "./step-forms.css";

export interface StepPanelProps {
  step: Step;
  catalog: Catalog;
  /** The problems the API reported for this step (`step_id` equal to its id). */
  problems: readonly Problem[];
  /** Support and other readers see the step without editing controls. */
  readOnly: boolean;
  /** The edited step, whole (same id); the caller keeps undo history. */
  onChange: (step: Step) => void;
  /** The automation's trigger event: a condition offers the fields its journeys have. */
  triggerEvent?: string | undefined;
  /** Ids of the action steps a condition may read results from (`steps.<id>.…`). */
  actionStepIds?: readonly string[] | undefined;
}

type StepOf<T extends Step["type"]> = Extract<Step, { type: T }>;

interface FormProps<T extends Step["type"]> {
  step: StepOf<T>;
  catalog: Catalog;
  problems: readonly Problem[];
  readOnly: boolean;
  onChange: (step: Step) => void;
}

export function StepPanel({
  step,
  catalog,
  problems,
  readOnly,
  onChange,
  triggerEvent,
  actionStepIds,
}: StepPanelProps) {
  const t = useT();
  const common = { catalog, problems, readOnly, onChange };
  return (
    <section className="step-panel" aria-label={t("step-forms.step.aria", { id: step.id })}>
      <header className="step-panel__header">
        <h2>{stepTypeLabel(t, step.type)}</h2>
        <p className="step-forms__muted">
          {t("step-forms.step.id")} <code>{step.id}</code>
        </p>
      </header>
      <ProblemList problems={problems} title={t("step-forms.problems.step")} />
      {/* A disabled fieldset disables every input inside: readers see values, edit nothing. */}
      {/* Keyed by step: drafts and open dialogs never carry over to the next selected step. */}
      <fieldset key={step.id} className="step-panel__body" disabled={readOnly}>
        {step.type === "wait" ? <WaitForm step={step} {...common} /> : null}
        {step.type === "wait_until" ? <WaitUntilForm step={step} {...common} /> : null}
        {step.type === "wait_for_event" ? <WaitForEventForm step={step} {...common} /> : null}
        {step.type === "condition" ? (
          <ConditionForm step={step} {...common} triggerEvent={triggerEvent} actionStepIds={actionStepIds} />
        ) : null}
        {step.type === "ab_split" ? <AbSplitForm step={step} {...common} /> : null}
        {step.type === "action" ? <ActionForm step={step} {...common} /> : null}
        {step.type === "exit" ? <ExitForm step={step} {...common} /> : null}
      </fieldset>
    </section>
  );
}

function WaitForm({ step, problems, readOnly, onChange }: FormProps<"wait">) {
  const t = useT();
  return (
    <DurationInput
      label={t("step-forms.wait.for")}
      value={step.duration}
      problems={messagesAt(problems, "duration")}
      disabled={readOnly}
      onChange={(duration) => {
        if (duration !== null) onChange({ ...step, duration });
      }}
    />
  );
}

function WaitUntilForm({ step, problems, readOnly, onChange }: FormProps<"wait_until">) {
  const t = useT();
  const id = useId();
  const days = step.days ?? [];
  const timeProblems = messagesAt(problems, "time");
  function toggleDay(day: Weekday, on: boolean) {
    // Week order, whatever order they were ticked in.
    const next = WEEKDAYS.map((weekday) => weekday.day).filter((candidate) =>
      candidate === day ? on : days.includes(candidate),
    );
    onChange({ ...step, days: next });
  }
  return (
    <>
      <div className="step-forms__field">
        <label htmlFor={`${id}-time`}>{t("step-forms.wait-until.time")}</label>
        <input
          id={`${id}-time`}
          type="time"
          value={step.time}
          disabled={readOnly}
          aria-invalid={timeProblems.length > 0 || undefined}
          aria-describedby={describedBy(`${id}-time-hint`, true, timeProblems)}
          onChange={(event) => onChange({ ...step, time: event.target.value })}
        />
        <FieldHint
          id={`${id}-time-hint`}
          hint={t("step-forms.wait-until.time-hint")}
          problems={timeProblems}
        />
      </div>
      <fieldset className="step-forms__days">
        <legend>{t("step-forms.wait-until.days")}</legend>
        <p className="step-forms__muted">{t("step-forms.wait-until.any-day")}</p>
        {WEEKDAYS.map(({ day, label, short }) => (
          <span key={day} className="step-forms__check">
            <input
              id={`${id}-${day}`}
              type="checkbox"
              checked={days.includes(day)}
              disabled={readOnly}
              onChange={(event) => toggleDay(day, event.target.checked)}
            />
            <label htmlFor={`${id}-${day}`} title={t(label)}>
              {t(short)}
            </label>
          </span>
        ))}
        <FieldHint id={`${id}-days-hint`} problems={messagesAt(problems, "days")} />
      </fieldset>
      <TimeZoneInput
        value={step.timezone}
        problems={messagesAt(problems, "timezone")}
        disabled={readOnly}
        onChange={(timezone) => onChange({ ...step, timezone })}
      />
    </>
  );
}

function WaitForEventForm({ step, catalog, problems, readOnly, onChange }: FormProps<"wait_for_event">) {
  const t = useT();
  const id = useId();
  const events = catalog.events.includes(step.event) ? catalog.events : [step.event, ...catalog.events];
  const eventProblems = messagesAt(problems, "event");
  return (
    <>
      <div className="step-forms__field">
        <label htmlFor={`${id}-event`}>{t("step-forms.wait-for-event.event")}</label>
        <select
          id={`${id}-event`}
          value={step.event}
          disabled={readOnly}
          aria-invalid={eventProblems.length > 0 || undefined}
          aria-describedby={describedBy(`${id}-event-hint`, true, eventProblems)}
          onChange={(event) =>
            onChange({ ...step, event: event.target.value as StepOf<"wait_for_event">["event"] })
          }
        >
          {events.map((name) => (
            <option key={name} value={name}>
              {eventLabel(t, name)}
            </option>
          ))}
        </select>
        <FieldHint
          id={`${id}-event-hint`}
          hint={t("step-forms.wait-for-event.event-hint")}
          problems={eventProblems}
        />
      </div>
      <DurationInput
        label={t("step-forms.wait-for-event.timeout")}
        value={step.timeout}
        hint={t("step-forms.wait-for-event.timeout-hint")}
        problems={messagesAt(problems, "timeout")}
        disabled={readOnly}
        onChange={(timeout) => {
          if (timeout !== null) onChange({ ...step, timeout });
        }}
      />
    </>
  );
}

function ConditionForm({
  step,
  catalog,
  problems,
  readOnly,
  onChange,
  triggerEvent,
  actionStepIds,
}: FormProps<"condition"> & { triggerEvent: string | undefined; actionStepIds: readonly string[] | undefined }) {
  const t = useT();
  return (
    <ConditionBuilder
      label={t("step-forms.condition-step.label")}
      value={step.if}
      fields={fieldsFor(catalog, triggerEvent, "step")}
      stepIds={actionStepIds ?? []}
      readOnly={readOnly}
      problems={messagesAt(problems, "if")}
      onChange={(condition) => {
        if (condition !== null) onChange({ ...step, if: condition });
      }}
    />
  );
}

function ActionForm({ step, catalog, problems, readOnly, onChange }: FormProps<"action">) {
  const t = useT();
  const entry = catalog.actions.find((action) => action.name === step.action);
  const params = step.params ?? {};
  if (!entry) {
    return (
      <>
        <p className="notice notice--error">
          {rich(t("step-forms.action.unknown"), { action: <code>{step.action}</code> })}
        </p>
        <JsonField
          label={t("step-forms.parameters")}
          value={params}
          problems={messagesAt(problems, "params")}
          disabled={readOnly}
          onChange={(next) => onChange({ ...step, params: (next as Record<string, unknown> | undefined) ?? {} })}
        />
      </>
    );
  }
  return (
    <>
      <div className="step-panel__action">
        <h3>{entry.label}</h3>
        <p className="step-forms__muted">{entry.description}</p>
        {entry.messages_customer ? (
          <p className="badge badge--inactive">{t("step-forms.action.messages-customer")}</p>
        ) : null}
      </div>
      <SchemaForm
        schema={asSchema(entry.params_schema)}
        value={params}
        templates={catalog.templates}
        problems={problems}
        path="params"
        disabled={readOnly}
        onChange={(next) => onChange({ ...step, params: next })}
      />
    </>
  );
}

const OUTCOMES = ["completed", "lost", "converted"];

function ExitForm({ step, problems, readOnly, onChange }: FormProps<"exit">) {
  const t = useT();
  const id = useId();
  const outcomeProblems = messagesAt(problems, "outcome");
  return (
    <div className="step-forms__field">
      <label htmlFor={`${id}-outcome`}>{t("step-forms.exit.outcome")}</label>
      <input
        id={`${id}-outcome`}
        type="text"
        value={step.outcome}
        list={`${id}-outcomes`}
        disabled={readOnly}
        aria-invalid={outcomeProblems.length > 0 || undefined}
        aria-describedby={`${id}-outcome-hint`}
        onChange={(event) => onChange({ ...step, outcome: event.target.value })}
      />
      <datalist id={`${id}-outcomes`}>
        {OUTCOMES.map((outcome) => (
          <option key={outcome} value={outcome} />
        ))}
      </datalist>
      <FieldHint
        id={`${id}-outcome-hint`}
        hint={t("step-forms.exit.outcome-hint")}
        problems={outcomeProblems}
      />
    </div>
  );
}
