/**
 * One template to every cart the current filter finds: a dry run first says how many would get
 * it and who is skipped and why, a confirmation names the number, then the run's progress
 * (asked every second) and its report.
 */
import { useEffect, useId, useState, type FormEvent } from "react";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { rich } from "../i18n/rich-text";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorNotice } from "../ui/notices";
import {
  bulkDryRun,
  describeSkipped,
  getBulkRun,
  startBulkRun,
  type BulkRun,
  type CartFilter,
  type DryRun,
} from "./carts-api";
import { TemplateFields, useTemplates } from "./template-fields";

export const POLL_EVERY_MS = 1000;

type Step =
  | { kind: "closed" }
  | { kind: "editing" }
  | { kind: "checked"; dryRun: DryRun }
  | { kind: "confirming"; dryRun: DryRun }
  | { kind: "running"; runId: string; run: BulkRun | null }
  | { kind: "finished"; run: BulkRun };

export function BulkMessage({ filter }: { filter: CartFilter }) {
  const { api } = useSession();
  const t = useT();
  const headingId = useId();
  const [step, setStep] = useState<Step>({ kind: "closed" });
  const [template, setTemplate] = useState("");
  const [subject, setSubject] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const templates = useTemplates(step.kind !== "closed");

  const fail = (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure));
  const subjectOrNull = subject.trim() === "" ? null : subject.trim();

  const check = (event: FormEvent) => {
    event.preventDefault();
    if (template === "") {
      setError(t("carts.message.chooseTemplate"));
      return;
    }
    setBusy(true);
    setError(null);
    bulkDryRun(api, t, filter, template, subjectOrNull)
      .then((dryRun) => setStep({ kind: "checked", dryRun }))
      .catch(fail)
      .finally(() => setBusy(false));
  };

  const send = () => {
    setBusy(true);
    setError(null);
    startBulkRun(api, t, filter, template, subjectOrNull)
      .then(({ run_id }) => setStep({ kind: "running", runId: run_id, run: null }))
      .catch((failure: unknown) => {
        setStep((current) => (current.kind === "confirming" ? { kind: "checked", dryRun: current.dryRun } : current));
        fail(failure);
      })
      .finally(() => setBusy(false));
  };

  const runId = step.kind === "running" ? step.runId : null;
  useEffect(() => {
    if (runId === null) return undefined;
    const controller = new AbortController();
    let timer: number | undefined;
    const poll = () => {
      getBulkRun(api, runId, controller.signal)
        .then((run) => {
          if (controller.signal.aborted) return;
          if (run.status === "running") {
            setStep({ kind: "running", runId, run });
            timer = window.setTimeout(poll, POLL_EVERY_MS);
          } else {
            setStep({ kind: "finished", run });
          }
        })
        .catch((failure: unknown) => {
          if (controller.signal.aborted) return;
          // A passing hiccup: say so and keep asking.
          fail(failure);
          timer = window.setTimeout(poll, POLL_EVERY_MS);
        });
    };
    poll();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one poll loop per run
  }, [api, runId]);

  if (step.kind === "closed") {
    return (
      <section className="carts__bulk" aria-labelledby={headingId}>
        <h2 id={headingId}>{t("carts.bulk.title")}</h2>
        <p className="hint">{t("carts.bulk.hint")}</p>
        <button type="button" onClick={() => setStep({ kind: "editing" })}>
          {t("carts.bulk.open")}
        </button>
      </section>
    );
  }

  const editable = step.kind === "editing" || step.kind === "checked";
  return (
    <section className="carts__bulk" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("carts.bulk.title")}</h2>
      <form onSubmit={check} aria-label={t("carts.bulk.title")}>
        <TemplateFields
          idPrefix="bulk"
          templates={templates}
          template={template}
          subject={subject}
          disabled={!editable || busy}
          onTemplate={(value) => {
            setTemplate(value);
            if (step.kind === "checked") setStep({ kind: "editing" });
          }}
          onSubject={(value) => {
            setSubject(value);
            if (step.kind === "checked") setStep({ kind: "editing" });
          }}
        />
        {editable ? (
          <div className="carts__actions">
            <button type="submit" className={step.kind === "checked" ? "button--secondary" : undefined} disabled={busy}>
              {busy && step.kind === "editing" ? t("carts.bulk.checking") : t("carts.bulk.check")}
            </button>
            <button type="button" className="button--secondary" onClick={() => setStep({ kind: "closed" })} disabled={busy}>
              {t("carts.bulk.close")}
            </button>
          </div>
        ) : null}
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {step.kind === "checked" || step.kind === "confirming" ? (
        <div className="carts__dry-run">
          <p role="status">
            {rich(t("carts.bulk.dryRun", { skipped: describeSkipped(t, step.dryRun.skipped) }), {
              wouldSend: <strong>{t("carts.bulk.wouldSend", { count: step.dryRun.would_send })}</strong>,
            })}
          </p>
          {step.dryRun.would_send > 0 ? (
            <button type="button" onClick={() => setStep({ kind: "confirming", dryRun: step.dryRun })}>
              {t("carts.bulk.sendTo", { count: step.dryRun.would_send })}
            </button>
          ) : (
            <p className="hint">{t("carts.bulk.nobody")}</p>
          )}
        </div>
      ) : null}
      {step.kind === "confirming" ? (
        <ConfirmDialog
          title={t("carts.bulk.confirmTitle", { template, count: step.dryRun.would_send })}
          confirmLabel={t("carts.bulk.confirm", { count: step.dryRun.would_send })}
          cancelLabel={t("carts.cancel")}
          busy={busy}
          onConfirm={send}
          onCancel={() => setStep({ kind: "checked", dryRun: step.dryRun })}
        >
          <p>{t("carts.bulk.confirmBody")}</p>
        </ConfirmDialog>
      ) : null}
      {step.kind === "running" ? <Progress run={step.run} /> : null}
      {step.kind === "finished" ? <Report run={step.run} onAgain={() => setStep({ kind: "editing" })} /> : null}
    </section>
  );
}

function Progress({ run }: { run: BulkRun | null }) {
  const t = useT();
  const done = run?.done ?? 0;
  const total = run?.total ?? 0;
  return (
    <div className="carts__progress">
      <label htmlFor="bulk-progress">{t("carts.bulk.sending")}</label>
      <progress id="bulk-progress" max={Math.max(total, 1)} value={done} />
      <p role="status">
        {run === null ? t("carts.bulk.starting") : t("carts.bulk.progress", { done, total, sent: run.sent })}
      </p>
    </div>
  );
}

function Report({ run, onAgain }: { run: BulkRun; onAgain: () => void }) {
  const t = useT();
  const failed = run.status === "failed";
  return (
    <div className={failed ? "notice notice--error carts__report" : "notice carts__report"} role={failed ? "alert" : "status"}>
      <p>
        <strong>{failed ? t("carts.bulk.stopped") : t("carts.bulk.finished")}</strong>{" "}
        {t("carts.bulk.report", {
          sent: run.sent,
          total: run.total,
          skipped: describeSkipped(t, run.skipped),
          refused: run.failed > 0 ? t("carts.bulk.refused", { count: run.failed }) : "",
        })}
      </p>
      <button type="button" className="button--secondary" onClick={onAgain}>
        {t("carts.bulk.again")}
      </button>
    </div>
  );
}
