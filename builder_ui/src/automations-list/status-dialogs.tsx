/**
 * The questions asked before changing an automation's status: what happens to its running
 * journeys when it is deactivated, whether paused ones resume when it is activated again, and
 * whether to archive it.
 */
import { useState } from "react";
import type { Schemas } from "../api/client";
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

const CHOICES: readonly { value: RunningChoice; label: string; hint: string }[] = [
  {
    value: "finish",
    label: "Let them finish",
    hint: "They go on to their end; only new carts or orders stop enrolling.",
  },
  {
    value: "pause",
    label: "Pause them",
    hint: "No step runs until they are resumed (activating it again offers that).",
  },
  { value: "cancel", label: "Cancel them", hint: "They stop for good; nothing more is sent." },
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
  return (
    <ConfirmDialog
      title={
        alreadyInactive
          ? `Running journeys of “${automation.name}”`
          : `Deactivate “${automation.name}”?`
      }
      confirmLabel={alreadyInactive ? "Apply" : "Deactivate"}
      danger={running === "cancel"}
      busy={busy}
      onConfirm={() => onConfirm(running)}
      onCancel={onCancel}
    >
      <p>
        {alreadyInactive ? "It is inactive: nobody new enrols. " : "Nobody new will enrol. "}
        {runningJourneysText(automation.running_journeys)}
      </p>
      <fieldset className="status-dialog__choices">
        <legend>What happens to its running journeys?</legend>
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
              {choice.label}
              <span className="status-dialog__hint">{choice.hint}</span>
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
  return (
    <ConfirmDialog
      title={`Activate “${automation.name}”?`}
      confirmLabel="Activate"
      busy={busy}
      onConfirm={() => onConfirm(resume)}
      onCancel={onCancel}
    >
      <p>
        Matching carts or orders enrol from now on. {runningJourneysText(automation.running_journeys)}{" "}
        Journeys paused when it was deactivated stay paused unless you resume them.
      </p>
      <label className="status-dialog__choice">
        <input type="checkbox" checked={resume} onChange={(e) => setResume(e.target.checked)} />
        <span>Also resume its paused journeys</span>
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
  return (
    <ConfirmDialog
      title={`Archive “${automation.name}”?`}
      confirmLabel="Archive"
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        It leaves the list (tick “Show archived” to see it again) and keeps its versions. An
        archived automation cannot be activated.
      </p>
      <FailedAttempt error={error} />
    </ConfirmDialog>
  );
}
