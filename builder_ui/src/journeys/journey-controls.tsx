/**
 * Pause, resume and cancel, each behind a confirmation. A button is disabled when its command
 * cannot apply: resume only when paused, pause only when not, none once the journey ended.
 */
import { useState } from "react";
import { unwrap } from "../api/client";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorNotice } from "../ui/notices";

type Command = "pause" | "resume" | "cancel";

interface CommandText {
  button: string;
  title: string;
  confirm: string;
  explain: string;
  done: string;
  already: string;
}

const TEXT: Record<Command, CommandText> = {
  pause: {
    button: "Pause journey",
    title: "Pause this journey?",
    confirm: "Pause",
    explain: "No email or other action runs until it is resumed. Waits keep counting meanwhile.",
    done: "Journey paused.",
    already: "The journey was already paused.",
  },
  resume: {
    button: "Resume journey",
    title: "Resume this journey?",
    confirm: "Resume",
    explain: "It carries on where it stopped; a wait that ended meanwhile continues at once.",
    done: "Journey resumed.",
    already: "The journey was already running.",
  },
  cancel: {
    button: "Cancel journey",
    title: "Cancel this journey for good?",
    confirm: "Cancel journey",
    explain: "It stops at once with the outcome “cancelled” and cannot be restarted.",
    done: "Journey cancelled.",
    already: "The journey had already ended.",
  },
};

export interface JourneyControlsProps {
  journeyId: string;
  running: boolean;
  paused: boolean;
  /** After a command went through: reload the journey, tell the reader what changed. */
  onDone: (message: string) => void;
}

export function JourneyControls({ journeyId, running, paused, onDone }: JourneyControlsProps) {
  const { api } = useSession();
  const [asking, setAsking] = useState<Command | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const enabled: Record<Command, boolean> = {
    pause: running && !paused,
    resume: running && paused,
    cancel: running,
  };

  const open = (command: Command) => {
    setAsking(command);
    setReason("");
    setError(null);
  };

  const confirm = async (command: Command) => {
    setBusy(true);
    setError(null);
    const options = { params: { path: { journey_id: journeyId } }, body: { reason: reason.trim() } };
    try {
      const result = await unwrap(
        command === "pause"
          ? api.POST("/api/v1/journeys/{journey_id}/pause", options)
          : command === "resume"
            ? api.POST("/api/v1/journeys/{journey_id}/resume", options)
            : api.POST("/api/v1/journeys/{journey_id}/cancel", options),
      );
      setAsking(null);
      onDone(result.changed ? TEXT[command].done : TEXT[command].already);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="journey__controls">
      {(["pause", "resume", "cancel"] as const).map((command) => (
        <button
          key={command}
          type="button"
          className={command === "cancel" ? "button--danger" : "button--secondary"}
          disabled={!enabled[command]}
          onClick={() => open(command)}
        >
          {TEXT[command].button}
        </button>
      ))}
      {asking === null ? null : (
        <ConfirmDialog
          title={TEXT[asking].title}
          confirmLabel={TEXT[asking].confirm}
          cancelLabel={asking === "cancel" ? "Keep it" : "Cancel"}
          danger={asking === "cancel"}
          busy={busy}
          onConfirm={() => void confirm(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>{TEXT[asking].explain}</p>
          {asking === "cancel" ? (
            <>
              <label htmlFor="journey-cancel-reason">Reason (optional)</label>
              <input
                id="journey-cancel-reason"
                value={reason}
                maxLength={500}
                onChange={(event) => setReason(event.target.value)}
                aria-describedby="journey-cancel-reason-hint"
              />
              <p id="journey-cancel-reason-hint" className="hint">
                Recorded in the journey's history, e.g. “customer asked by phone”.
              </p>
            </>
          ) : null}
          {error ? <ErrorNotice error={error} /> : null}
        </ConfirmDialog>
      )}
    </div>
  );
}
