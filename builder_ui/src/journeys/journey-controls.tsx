/**
 * Pause, resume and cancel, each behind a confirmation. A button is disabled when its command
 * cannot apply: resume only when paused, pause only when not, none once the journey ended.
 */
import { useState } from "react";
import { unwrap } from "../api/client";
import type { MessageKey } from "../i18n/catalogue";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorNotice } from "../ui/notices";

type Command = "pause" | "resume" | "cancel";

type CommandText = "button" | "title" | "confirm" | "explain" | "done" | "already";

const TEXT: Record<Command, Record<CommandText, MessageKey>> = {
  pause: {
    button: "journeys.pause.button",
    title: "journeys.pause.title",
    confirm: "journeys.pause.confirm",
    explain: "journeys.pause.explain",
    done: "journeys.pause.done",
    already: "journeys.pause.already",
  },
  resume: {
    button: "journeys.resume.button",
    title: "journeys.resume.title",
    confirm: "journeys.resume.confirm",
    explain: "journeys.resume.explain",
    done: "journeys.resume.done",
    already: "journeys.resume.already",
  },
  cancel: {
    button: "journeys.cancel.button",
    title: "journeys.cancel.title",
    confirm: "journeys.cancel.confirm",
    explain: "journeys.cancel.explain",
    done: "journeys.cancel.done",
    already: "journeys.cancel.already",
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
  const t = useT();
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
      onDone(t(result.changed ? TEXT[command].done : TEXT[command].already));
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
          {t(TEXT[command].button)}
        </button>
      ))}
      {asking === null ? null : (
        <ConfirmDialog
          title={t(TEXT[asking].title)}
          confirmLabel={t(TEXT[asking].confirm)}
          cancelLabel={t(asking === "cancel" ? "journeys.cancel.keep" : "journeys.dialog.cancel")}
          danger={asking === "cancel"}
          busy={busy}
          onConfirm={() => void confirm(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>{t(TEXT[asking].explain)}</p>
          {asking === "cancel" ? (
            <>
              <label htmlFor="journey-cancel-reason">{t("journeys.cancel.reason")}</label>
              <input
                id="journey-cancel-reason"
                value={reason}
                maxLength={500}
                onChange={(event) => setReason(event.target.value)}
                aria-describedby="journey-cancel-reason-hint"
              />
              <p id="journey-cancel-reason-hint" className="hint">
                {t("journeys.cancel.reason-hint")}
              </p>
            </>
          ) : null}
          {error ? <ErrorNotice error={error} /> : null}
        </ConfirmDialog>
      )}
    </div>
  );
}
