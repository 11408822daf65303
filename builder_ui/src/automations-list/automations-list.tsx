/**
 * `/automations`: every automation with its status and numbers, and the actions the caller's
 * role allows — activate, deactivate (choosing what running journeys do), duplicate, archive,
 * and a new one from scratch.
 */
import { useState } from "react";
import { Link } from "react-router";
import { unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import "./automations-list.css";
import { AutomationsTable, type Automation, type RowAction } from "./automations-table";
import { ConsentNote } from "./consent-note";
import { describeJourneys } from "./journeys-summary";
import { NewAutomationDialog } from "./new-automation-dialog";
import { ActivateDialog, ArchiveDialog, DeactivateDialog, type RunningChoice } from "./status-dialogs";

/** The question on screen, if any, with the automation it is about. */
type Asking =
  | { kind: "activate" | "deactivate" | "archive"; automation: Automation }
  | { kind: "new" }
  | null;

/** What the last action did, said once above the table. */
interface Outcome {
  tone: "success" | "error";
  text: string;
  open?: { id: string; name: string };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  const t = useT();
  const success = outcome.tone === "success";
  return (
    <div
      className={success ? "notice automations__notice--success" : "notice notice--error"}
      role={success ? "status" : "alert"}
    >
      {outcome.text}{" "}
      {outcome.open ? <Link to={`/automations/${outcome.open.id}`}>{t("automations-list.open", { name: outcome.open.name })}</Link> : null}
    </div>
  );
}

export function AutomationsList() {
  const { api, can } = useSession();
  const t = useT();
  const [showArchived, setShowArchived] = useState(false);
  const { state, reload } = useApiData(
    (signal) =>
      unwrap(
        api.GET("/api/v1/automations", {
          params: { query: { include_archived: showArchived } },
          signal,
        }),
      ),
    [api, showArchived],
  );
  const [asking, setAsking] = useState<Asking>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const ask = (next: Asking) => {
    setDialogError(null);
    setAsking(next);
  };

  /** Runs one action; a failure stays in the open dialog, or becomes the outcome without one. */
  const run = async (automation: Automation, work: () => Promise<Outcome>) => {
    const inDialog = asking !== null;
    setBusyId(automation.id);
    setDialogError(null);
    try {
      setOutcome(await work());
      setAsking(null);
      reload();
    } catch (error) {
      if (inDialog) setDialogError(messageOf(error));
      else setOutcome({ tone: "error", text: messageOf(error) });
      // Some failures still changed something: a deactivation whose pause found Temporal down
      // has already stopped new enrolments.
      reload();
    } finally {
      setBusyId(null);
    }
  };

  const activate = (automation: Automation, resumeJourneys: boolean) =>
    run(automation, async () => {
      const answer = await unwrap(
        api.POST("/api/v1/automations/{automation_id}/activate", {
          params: { path: { automation_id: automation.id } },
          body: { resume_journeys: resumeJourneys },
        }),
      );
      const journeys = answer.journeys ? ` ${describeJourneys(answer.journeys, t)}` : "";
      return { tone: "success", text: `${t("automations-list.outcome.active", { name: automation.name })}${journeys}` };
    });

  const deactivate = (automation: Automation, running: RunningChoice) =>
    run(automation, async () => {
      const answer = await unwrap(
        api.POST("/api/v1/automations/{automation_id}/deactivate", {
          params: { path: { automation_id: automation.id } },
          body: { running },
        }),
      );
      const journeys = answer.journeys
        ? describeJourneys(answer.journeys, t)
        : t("automations-list.outcome.journeys-go-on");
      return { tone: "success", text: `${t("automations-list.outcome.inactive", { name: automation.name })} ${journeys}` };
    });

  const duplicate = (automation: Automation) =>
    run(automation, async () => {
      const copy = await unwrap(
        api.POST("/api/v1/automations/{automation_id}/duplicate", {
          params: { path: { automation_id: automation.id } },
        }),
      );
      return {
        tone: "success",
        text: t("automations-list.outcome.copied", { name: copy.name }),
        open: { id: copy.id, name: copy.name },
      };
    });

  const archive = (automation: Automation) =>
    run(automation, async () => {
      await unwrap(
        api.POST("/api/v1/automations/{automation_id}/archive", {
          params: { path: { automation_id: automation.id } },
        }),
      );
      return { tone: "success", text: t("automations-list.outcome.archived", { name: automation.name }) };
    });

  const onAction = (action: RowAction, automation: Automation) => {
    setOutcome(null);
    if (action === "duplicate") void duplicate(automation);
    else if (action === "activate" && !((automation.running_journeys ?? 0) > 0)) {
      // Nothing is running, so nothing can be paused: no question to ask.
      void activate(automation, false);
    } else ask({ kind: action, automation });
  };

  const busy = busyId !== null;
  return (
    <section aria-labelledby="automations-heading" className="automations">
      <div className="automations__header">
        <h1 id="automations-heading">{t("automations-list.title")}</h1>
        <label className="automations__toggle">
          <input
            type="checkbox"
            checked={showArchived}
            onChange={(event) => setShowArchived(event.target.checked)}
          />
          {t("automations-list.show-archived")}
        </label>
        {can("use_presets") ? (
          <Link to="/presets" className="automations__link-button">
            {t("automations-list.browse-presets")}
          </Link>
        ) : null}
        {can("edit_automations") ? (
          <button type="button" onClick={() => ask({ kind: "new" })}>
            {t("automations-list.new")}
          </button>
        ) : null}
      </div>

      <ConsentNote />
      {outcome ? <OutcomeNotice outcome={outcome} /> : null}

      {state.kind === "loading" ? (
        <Loading what={t("automations-list.loading")} />
      ) : state.kind === "error" ? (
        <ErrorNotice error={state.error} onRetry={reload} />
      ) : state.data.length === 0 ? (
        <EmptyState title={t(showArchived ? "automations-list.empty-archived" : "automations-list.empty")}>
          {can("use_presets") ? (
            <p>
              {t("automations-list.empty.presets")}{" "}
              <Link to="/presets">{t("automations-list.empty.start-from-preset")}</Link>
            </p>
          ) : (
            <p>{t("automations-list.empty.no-presets")}</p>
          )}
        </EmptyState>
      ) : (
        <AutomationsTable automations={state.data} busyId={busyId} onAction={onAction} />
      )}

      {asking?.kind === "new" ? <NewAutomationDialog onCancel={() => ask(null)} /> : null}
      {asking?.kind === "activate" ? (
        <ActivateDialog
          automation={asking.automation}
          busy={busy}
          error={dialogError}
          onCancel={() => ask(null)}
          onConfirm={(resume) => void activate(asking.automation, resume)}
        />
      ) : null}
      {asking?.kind === "deactivate" ? (
        <DeactivateDialog
          automation={asking.automation}
          busy={busy}
          error={dialogError}
          onCancel={() => ask(null)}
          onConfirm={(running) => void deactivate(asking.automation, running)}
        />
      ) : null}
      {asking?.kind === "archive" ? (
        <ArchiveDialog
          automation={asking.automation}
          busy={busy}
          error={dialogError}
          onCancel={() => ask(null)}
          onConfirm={() => void archive(asking.automation)}
        />
      ) : null}
    </section>
  );
}
