/**
 * The trigger's panel: what starts a journey and who is let in (trigger filters), when it
 * stops (exit events), and the automation's settings (quiet hours, holdout, re-entry cooldown).
 */
import { useId } from "react";
import type { Problem } from "../api/client";
import { useT } from "../i18n/i18n";
import type { AutomationSettings, Catalog, Definition, Trigger } from "../definition/definition";
import { ConditionBuilder } from "./condition-builder";
import { fieldsFor } from "./condition";
import { DurationInput } from "./duration-input";
import { describedBy, FieldHint } from "./field-hint";
import { eventLabel } from "./labels";
import { messagesAt } from "./problems";
import { ProblemList } from "./problem-list";
import { QuietHoursInput } from "./quiet-hours-input";
import "./step-forms.css";

export interface TriggerPanelProps {
  /** The whole definition; the panel edits `name`, `trigger`, `exit_on` and `settings`. */
  definition: Definition;
  catalog: Catalog;
  /** Problems not tied to a step (no `step_id`): trigger, settings, name. */
  problems: readonly Problem[];
  readOnly: boolean;
  /** The definition with the panel's edits (its `steps` untouched). */
  onChange: (definition: Definition) => void;
}

type ExitEvent = NonNullable<Definition["exit_on"]>[number];

// The engine's defaults (engine/language/definition.py): shown when the definition leaves them out.
const DEFAULT_EXIT_ON: readonly ExitEvent[] = ["order_placed", "cart_recovered", "unsubscribed"];
const DEFAULT_SETTINGS: AutomationSettings = { quiet_hours: null, holdout_percent: 0, reentry_cooldown: null };

export function TriggerPanel({ definition, catalog, problems, readOnly, onChange }: TriggerPanelProps) {
  const t = useT();
  const id = useId();
  const settings: AutomationSettings = { ...DEFAULT_SETTINGS, ...definition.settings };
  const exitOn = definition.exit_on ?? DEFAULT_EXIT_ON;

  const setTrigger = (trigger: Trigger) => onChange({ ...definition, trigger });
  const setSettings = (next: Partial<AutomationSettings>) =>
    onChange({ ...definition, settings: { ...settings, ...next } });
  function toggleExit(event: ExitEvent, on: boolean) {
    const next = catalog.events.filter((name): name is ExitEvent =>
      name === event ? on : exitOn.includes(name as ExitEvent),
    );
    // Saved names the catalog does not list (yet) are kept.
    const unlisted = exitOn.filter((name) => !catalog.events.includes(name) && name !== event);
    onChange({ ...definition, exit_on: [...next, ...unlisted] });
  }

  const triggers = catalog.triggers.includes(definition.trigger.event)
    ? catalog.triggers
    : [definition.trigger.event, ...catalog.triggers];
  const nameProblems = messagesAt(problems, "name");
  const eventProblems = messagesAt(problems, "trigger.event");
  const holdoutProblems = messagesAt(problems, "settings.holdout_percent");
  const quietProblems = messagesAt(problems, "settings.quiet_hours");

  return (
    <section className="step-panel trigger-panel" aria-label={t("step-forms.trigger.aria")}>
      <header className="step-panel__header">
        <h2>{t("step-forms.trigger.title")}</h2>
        <p className="step-forms__muted">{t("step-forms.trigger.intro")}</p>
      </header>
      <ProblemList problems={problems} title={t("step-forms.problems.trigger")} />
      <fieldset className="step-panel__body" disabled={readOnly}>
        <div className="step-forms__field">
          <label htmlFor={`${id}-name`}>{t("step-forms.trigger.name")}</label>
          <input
            id={`${id}-name`}
            type="text"
            value={definition.name}
            maxLength={200}
            required
            disabled={readOnly}
            aria-invalid={nameProblems.length > 0 || undefined}
            aria-describedby={describedBy(`${id}-name-hint`, null, nameProblems)}
            onChange={(event) => onChange({ ...definition, name: event.target.value })}
          />
          <FieldHint id={`${id}-name-hint`} problems={nameProblems} />
        </div>

        <div className="step-forms__field">
          <label htmlFor={`${id}-event`}>{t("step-forms.trigger.starts-when")}</label>
          <select
            id={`${id}-event`}
            value={definition.trigger.event}
            disabled={readOnly}
            aria-invalid={eventProblems.length > 0 || undefined}
            aria-describedby={describedBy(`${id}-event-hint`, null, eventProblems)}
            onChange={(event) =>
              setTrigger({ ...definition.trigger, event: event.target.value as Trigger["event"] })
            }
          >
            {triggers.map((name) => (
              <option key={name} value={name}>
                {eventLabel(t, name)}
              </option>
            ))}
          </select>
          <FieldHint id={`${id}-event-hint`} problems={eventProblems} />
        </div>

        <ConditionBuilder
          label={t("step-forms.trigger.filters")}
          value={definition.trigger.filters ?? null}
          fields={fieldsFor(catalog, definition.trigger.event, "filters")}
          optional
          readOnly={readOnly}
          problems={messagesAt(problems, "trigger.filters")}
          onChange={(filters) => setTrigger({ ...definition.trigger, filters })}
        />

        <fieldset className="step-forms__checks">
          <legend>{t("step-forms.trigger.stop-when")}</legend>
          {catalog.events.map((name) => (
            <span key={name} className="step-forms__check">
              <input
                id={`${id}-exit-${name}`}
                type="checkbox"
                checked={exitOn.includes(name as ExitEvent)}
                disabled={readOnly}
                onChange={(event) => toggleExit(name as ExitEvent, event.target.checked)}
              />
              <label htmlFor={`${id}-exit-${name}`}>{eventLabel(t, name)}</label>
            </span>
          ))}
          <FieldHint id={`${id}-exit-hint`} problems={messagesAt(problems, "exit_on")} />
        </fieldset>

        <fieldset className="step-forms__group">
          <legend>{t("step-forms.trigger.quiet-hours")}</legend>
          <QuietHoursInput
            value={settings.quiet_hours ?? null}
            label={t("step-forms.trigger.quiet-hours-label")}
            disabled={readOnly}
            problems={quietProblems}
            onChange={(quiet_hours) => setSettings({ quiet_hours })}
          />
        </fieldset>

        <div className="step-forms__field">
          <label htmlFor={`${id}-holdout`}>{t("step-forms.trigger.holdout")}</label>
          <input
            id={`${id}-holdout`}
            type="number"
            min={0}
            max={100}
            step={1}
            value={settings.holdout_percent}
            disabled={readOnly}
            aria-invalid={holdoutProblems.length > 0 || undefined}
            aria-describedby={`${id}-holdout-hint`}
            onChange={(event) =>
              setSettings({ holdout_percent: event.target.value === "" ? 0 : Number(event.target.value) })
            }
          />
          <FieldHint
            id={`${id}-holdout-hint`}
            hint={t("step-forms.trigger.holdout-hint")}
            problems={holdoutProblems}
          />
        </div>

        <DurationInput
          label={t("step-forms.trigger.cooldown")}
          value={settings.reentry_cooldown}
          optional
          allowZero
          hint={t("step-forms.trigger.cooldown-hint")}
          problems={messagesAt(problems, "settings.reentry_cooldown")}
          disabled={readOnly}
          onChange={(reentry_cooldown) => setSettings({ reentry_cooldown })}
        />
      </fieldset>
    </section>
  );
}
