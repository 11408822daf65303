/**
 * The questions asked before changing an automation's status: what happens to its running
 * journeys when it is deactivated, whether paused ones resume when it is activated again, and
 * whether to archive it.
 */
import { useState } from "react";
import type { Schemas } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";
import { useT } from "../i18n/i18n";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { runningJourneysText } from "./journeys-summary";

type Automation = Schemas["AutomationOverview"];
export type RunningChoice = Schemas["AutomationDeactivate"]["running"];

interface DialogProps {
  automation: Automation;
  busy: boolean;
  /** Why the last attempt failed; the dialog stays open so the user can try again. */
  error: string | null;
  onCancel: () => void;
}

const CHOICES: readonly { value: RunningChoice; label: MessageKey; hint: MessageKey }[] = [
  { value: "finish", label: "automations-list.deactivate.finish", hint: "automations-list.deactivate.finish-hint" },
  { value: "pause", label: "automations-list.deactivate.pause", hint: "automations-list.deactivate.pause-hint" },
  { value: "cancel", label: "automations-list.deactivate.cancel", hint: "automations-list.deactivate.cancel-hint" },
];

function FailedAttempt({ error }: { error: string | null }) {
  return error === null ? null : (
    <p className="notice notice--error" role="alert">
      {error}
    </p>
  );
}

/**
 * Deactivating asks what its running journeys should do. On an automation that is already
 * inactive the same call applies a new choice to the journeys still running, so "finish"
 * (which would change nothing) is not offered then.
 */
export function DeactivateDialog({
  automation,
  busy,
  error,
  onCancel,
  onConfirm,
}: DialogProps & { onConfirm: (running: RunningChoice) => void }) {
  const alreadyInactive = automation.status !== "active";
  const choices = alreadyInactive ? CHOICES.filter((c) => c.value !== "finish") : CHOICES;
  const [running, setRunning] = useState<RunningChoice>(alreadyInactive ? "pause" : "finish");
  const t = useT();
  const name = { name: automation.name };
  return (
    <ConfirmDialog
      title={
        alreadyInactive
          ? t("automations-list.deactivate.title-inactive", name)
          : t("automations-list.deactivate.title", name)
      }
      confirmLabel={t(alreadyInactive ? "automations-list.deactivate.apply" : "automations-list.deactivate.confirm")}
      danger={running === "cancel"}
      busy={busy}
      onConfirm={() => onConfirm(running)}
      onCancel={onCancel}
    >
      <p>
        {t(alreadyInactive ? "automations-list.deactivate.inactive" : "automations-list.deactivate.nobody-new")}{" "}
        {runningJourneysText(automation.running_journeys, t)}
      </p>
      <fieldset className="status-dialog__choices">
        <legend>{t("automations-list.deactivate.question")}</legend>
        {choices.map((choice) => (
          <label key={choice.value} className="status-dialog__choice">
            <input
              type="radio"
              name="running"
              value={choice.value}
              checked={running === choice.value}
              onChange={() => setRunning(choice.value)}
            />
            <span>
              {t(choice.label)}
              <span className="status-dialog__hint">{t(choice.hint)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <FailedAttempt error={error} />
    </ConfirmDialog>
  );
}

/**
 * Asked only when journeys are still running: some of them may have been paused by the
 * deactivation, and resuming them is a choice (the overview does not count paused ones).
 */
export function ActivateDialog({
  automation,
  busy,
  error,
  onCancel,
  onConfirm,
}: DialogProps & { onConfirm: (resumeJourneys: boolean) => void }) {
  const [resume, setResume] = useState(false);
  const t = useT();
  return (
    <ConfirmDialog
      title={t("automations-list.activate.title", { name: automation.name })}
      confirmLabel={t("automations-list.activate.confirm")}
      busy={busy}
      onConfirm={() => onConfirm(resume)}
      onCancel={onCancel}
    >
      <p>
        {t("automations-list.activate.body-start")} {runningJourneysText(automation.running_journeys, t)}{" "}
        {t("automations-list.activate.body-end")}
      </p>
      <label className="status-dialog__choice">
        <input type="checkbox" checked={resume} onChange={(e) => setResume(e.target.checked)} />
        <span>{t("automations-list.activate.resume")}</span>
      </label>
      <FailedAttempt error={error} />
    </ConfirmDialog>
  );
}

export function ArchiveDialog({
  automation,
  busy,
  error,
  onCancel,
  onConfirm,
}: DialogProps & { onConfirm: () => void }) {
  const t = useT();
  return (
    <ConfirmDialog
      title={t("automations-list.archive.title", { name: automation.name })}
      confirmLabel={t("automations-list.archive.confirm")}
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>{t("automations-list.archive.body")}</p>
      <FailedAttempt error={error} />
    </ConfirmDialog>
  );
}
