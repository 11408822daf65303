/**
 * The automation editor: the canvas, the side panel, undo/redo, validation as you go, save
 * draft, publish (with the diff against the live version) and the version history.
 * Roles without `edit_automations` (support) get the same view with no editing controls.
 * "Try on past carts" runs the draft (or a version) over recent carts: its figures go on the
 * canvas while its panel is open.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { ApiError, unwrap, type Problem, type Schemas } from "../api/client";
import type { Catalog, Definition } from "../definition/definition";
import type { MessageKey } from "../i18n/catalogue";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
import { useSession } from "../session/session";
import { simulationBadges } from "../simulation/simulation-api";
import { SimulationPanel } from "../simulation/simulation-panel";
import { useSimulation } from "../simulation/use-simulation";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useUnsavedChangesGuard } from "../ui/use-unsaved-changes-guard";
import { DiffView, isEmptyDiff } from "./diff-view";
import { insertStep, newStep, stepIds, type NewStepKind } from "./edit-definition";
import { FlowCanvas } from "./flow-canvas";
import { ProblemsList } from "./problems-list";
import { SidePanel } from "./side-panel";
import type { InsertPoint } from "./to-definition";
import { useDefinitionHistory } from "./use-definition-history";
import { VersionHistory } from "./version-history";

type Automation = Schemas["AutomationOverview"];
type Diff = Schemas["DefinitionDiffPublic"];
type VersionPublic = Schemas["AutomationVersionPublic"];

/** How long typing pauses before the definition is checked. */
export const VALIDATE_AFTER_MS = 500;

type Dialog =
  | { kind: "publish"; diff: Diff }
  | { kind: "discard" }
  | { kind: "rollback"; version: number };

type Notice = { tone: "info" | "error"; text: string };

type Check = "idle" | "checking" | "valid" | "invalid" | "failed";

/** What the side panel shows: the selected step's form, the versions, or a simulation. */
type Panel = "edit" | "history" | "simulation";

export interface FlowEditorProps {
  automation: Automation;
  catalog: Catalog;
  /** Loads the automation again (after publishing, discarding, rolling back). */
  onReload: () => void;
  /** The automation page's views (editor, results), under the header. */
  tabs?: ReactNode;
}

function editedOf(automation: Automation): Definition {
  return (automation.draft ?? automation.definition) as Definition;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

export function FlowEditor({ automation, catalog, onReload, tabs = null }: FlowEditorProps) {
  const { api, can } = useSession();
  const t = useT();
  const { language } = useLanguage();
  const canEdit = can("edit_automations") && automation.status !== "archived";
  const path = { params: { path: { automation_id: automation.id } } };

  const history = useDefinitionHistory(editedOf(automation));
  const { definition, change, undo, redo, reset } = history;
  const [saved, setSaved] = useState<Definition>(() => editedOf(automation));
  const [hasDraft, setHasDraft] = useState(automation.draft !== null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [check, setCheck] = useState<Check>("idle");
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [panel, setPanel] = useState<Panel>("edit");
  const togglePanel = (which: Panel) => setPanel((open) => (open === which ? "edit" : which));
  const canSimulate = can("simulate");
  const simulation = useSimulation(api, automation.id);
  const [viewing, setViewing] = useState<VersionPublic | null>(null);

  // A reload (after publish, discard, rollback) starts the editor over from the server's state.
  useEffect(() => {
    reset(editedOf(automation));
    setSaved(editedOf(automation));
    setHasDraft(automation.draft !== null);
  }, [automation, reset]);

  const dirty = useMemo(() => JSON.stringify(definition) !== JSON.stringify(saved), [definition, saved]);
  const readOnly = !canEdit || viewing !== null;
  const shown = viewing ? (viewing.definition as Definition) : definition;
  const simulated = simulation.run.kind === "done" ? simulation.run.status : null;
  const stepBadges = useMemo(() => (panel === "simulation" && simulated ? simulationBadges(simulated, t, language) : undefined), [panel, simulated, t, language]);

  // Validate as you go: the API knows the templates and every action's params.
  useEffect(() => {
    if (!canEdit) return undefined;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      setCheck("checking");
      const params = { path: { automation_id: automation.id } };
      unwrap(api.POST("/api/v1/automations/{automation_id}/validate", { params, body: { definition }, signal: controller.signal }))
        .then((checked) => {
          setProblems(checked.problems);
          setCheck(checked.valid ? "valid" : "invalid");
        })
        .catch(() => {
          if (!controller.signal.aborted) setCheck("failed");
        });
    }, VALIDATE_AFTER_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [api, automation.id, canEdit, definition]);

  // Leaving with unsaved changes asks first.
  const leaveDialog = useUnsavedChangesGuard(dirty, t("flow-editor.unsaved-what", { name: definition.name }));

  // Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redoes; text fields keep their own undo.
  useEffect(() => {
    if (readOnly) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || isTyping(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) undo();
      else if ((key === "z" && event.shiftKey) || key === "y") redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [readOnly, undo, redo]);

  const onInsert = useCallback(
    (at: InsertPoint, kind: NewStepKind) => {
      const step = newStep(kind, catalog, stepIds(definition.steps));
      change(insertStep(definition, at, step));
      setSelectedId(step.id);
    },
    [catalog, definition, change],
  );

  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    setNotice(null);
    try {
      await action();
    } catch (error) {
      if (error instanceof ApiError && error.problems.length > 0) setProblems(error.problems);
      setNotice({ tone: "error", text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  };

  const saveDraft = async () => {
    await unwrap(api.PUT("/api/v1/automations/{automation_id}/draft", { ...path, body: { definition } }));
    setSaved(definition);
    setHasDraft(true);
  };

  const startPublish = () =>
    run("publish", async () => {
      if (dirty || !hasDraft) await saveDraft();
      const checked = await unwrap(api.POST("/api/v1/automations/{automation_id}/validate", { ...path, body: { definition } }));
      setProblems(checked.problems);
      setCheck(checked.valid ? "valid" : "invalid");
      if (!checked.valid || checked.diff === null) {
        const count = checked.problems.length;
        setNotice({ tone: "error", text: t("flow-editor.notice.fix-problems", { count }) });
      } else if (isEmptyDiff(checked.diff)) {
        setNotice({ tone: "info", text: t("flow-editor.notice.nothing-to-publish", { version: automation.version }) });
      } else {
        setDialog({ kind: "publish", diff: checked.diff });
      }
    });

  const publish = () =>
    run("publish", async () => {
      try {
        const published = await unwrap(api.POST("/api/v1/automations/{automation_id}/publish", path));
        setNotice({ tone: "info", text: t("flow-editor.notice.published", { version: published.version }) });
      } finally {
        setDialog(null);
      }
      setSelectedId(null);
      onReload();
    });

  const discard = () =>
    run("discard", async () => {
      try {
        if (hasDraft) {
          await unwrap(api.DELETE("/api/v1/automations/{automation_id}/draft", path));
          onReload();
        } else {
          reset(saved);
        }
      } finally {
        setDialog(null);
      }
      setSelectedId(null);
      setNotice({ tone: "info", text: t("flow-editor.notice.discarded") });
    });

  const view = (version: number) =>
    run("view", async () => {
      const found = await unwrap(
        api.GET("/api/v1/automations/{automation_id}/versions/{version}", {
          params: { path: { automation_id: automation.id, version } },
        }),
      );
      setViewing(found);
      setSelectedId(null);
    });

  const rollBack = (version: number) =>
    run("rollback", async () => {
      try {
        const published = await unwrap(api.POST("/api/v1/automations/{automation_id}/rollback", { ...path, body: { version } }));
        setNotice({ tone: "info", text: t("flow-editor.notice.rolled-back", { version: published.version, source: version }) });
      } finally {
        setDialog(null);
      }
      setViewing(null);
      onReload();
    });

  const status = automation.status;
  const state = t(dirty ? "flow-editor.state.unsaved" : hasDraft ? "flow-editor.state.draft-saved" : "flow-editor.state.no-draft");

  return (
    <div className="flow-editor">
      <header className="flow-editor__header">
        <div className="flow-editor__title">
          <Link to="/automations" className="flow-editor__back">
            {t("flow-editor.back")}
          </Link>
          <h1>{definition.name}</h1>
          <span className={`badge badge--${status === "active" ? "active" : "inactive"}`}>{statusText(status, t)}</span>
          <span className="flow-editor__meta">{t("flow-editor.version", { version: automation.version })}</span>
          {canEdit ? (
            <span className={`flow-editor__meta${dirty ? " flow-editor__meta--unsaved" : ""}`} role="status">
              {state}
            </span>
          ) : null}
          {canEdit ? <CheckStatus check={check} count={problems.length} /> : null}
        </div>
        <div className="flow-editor__toolbar" role="group" aria-label={t("flow-editor.toolbar")}>
          {canEdit ? (
            <>
              <button type="button" className="button--secondary" onClick={undo} disabled={readOnly || !history.canUndo} title={t("flow-editor.undo-title")}>
                {t("flow-editor.undo")}
              </button>
              <button type="button" className="button--secondary" onClick={redo} disabled={readOnly || !history.canRedo} title={t("flow-editor.redo-title")}>
                {t("flow-editor.redo")}
              </button>
              <button type="button" className="button--secondary" onClick={() => void run("save", saveDraft)} disabled={readOnly || busy !== null || !dirty}>
                {t(busy === "save" ? "flow-editor.saving" : "flow-editor.save-draft")}
              </button>
              <button type="button" className="button--secondary" onClick={() => setDialog({ kind: "discard" })} disabled={readOnly || busy !== null || !(dirty || hasDraft)}>
                {t("flow-editor.discard-draft")}
              </button>
              <button type="button" onClick={() => void startPublish()} disabled={readOnly || busy !== null || !(dirty || hasDraft)}>
                {t(busy === "publish" ? "flow-editor.publishing" : "flow-editor.publish")}
              </button>
            </>
          ) : null}
          <button type="button" className="button--secondary" aria-pressed={panel === "history"} onClick={() => togglePanel("history")}>
            {t("flow-editor.version-history")}
          </button>
          {canSimulate ? (
            <button type="button" className="button--secondary" aria-pressed={panel === "simulation"} onClick={() => togglePanel("simulation")}>
              {t("flow-editor.try-on-past-carts")}
            </button>
          ) : null}
        </div>
      </header>
      {tabs}

      {!canEdit ? (
        <p className="notice flow-editor__notice">
          {t(automation.status === "archived" ? "flow-editor.read-only.archived" : "flow-editor.read-only.role")}
        </p>
      ) : null}
      {notice ? (
        <p className={`notice flow-editor__notice${notice.tone === "error" ? " notice--error" : ""}`} role={notice.tone === "error" ? "alert" : "status"}>
          {notice.text}
        </p>
      ) : null}
      {viewing ? (
        <div className="notice flow-editor__notice flow-editor__viewing" role="status">
          <span>{t(viewing.current ? "flow-editor.viewing-live" : "flow-editor.viewing", { version: viewing.version })}</span>
          <button type="button" className="button--secondary" onClick={() => setViewing(null)}>
            {t("flow-editor.back-to-draft")}
          </button>
        </div>
      ) : null}

      <div className="flow-editor__body">
        <div className="flow-editor__main">
          <FlowCanvas
            definition={shown}
            catalog={catalog}
            problems={viewing ? [] : problems}
            selectedId={selectedId}
            readOnly={readOnly}
            onSelect={setSelectedId}
            onInsert={onInsert}
            stepBadges={stepBadges}
          />
          {viewing ? null : <ProblemsList problems={problems} onSelect={setSelectedId} />}
        </div>
        <aside className={`flow-editor__panel${panel === "simulation" ? " flow-editor__panel--wide" : ""}`} aria-label={t("flow-editor.side-panel")}>
          {panel === "simulation" && canSimulate ? (
            <SimulationPanel api={api} liveVersion={automation.version} definition={definition} unsaved={dirty} simulation={simulation} />
          ) : panel === "history" ? (
            <VersionHistory
              api={api}
              automationId={automation.id}
              currentVersion={automation.version}
              viewing={viewing?.version ?? null}
              canRollBack={canEdit}
              onView={(version) => void view(version)}
              onRollBack={(version) => setDialog({ kind: "rollback", version })}
            />
          ) : (
            <SidePanel
              definition={shown}
              catalog={catalog}
              problems={viewing ? [] : problems}
              selectedId={selectedId}
              readOnly={readOnly}
              onChange={change}
              onSelect={setSelectedId}
            />
          )}
        </aside>
      </div>

      {dialog?.kind === "publish" ? (
        <ConfirmDialog
          title={t("flow-editor.publish-dialog.title", { version: automation.version + 1 })}
          confirmLabel={t("flow-editor.publish")}
          busy={busy !== null}
          onConfirm={() => void publish()}
          onCancel={() => setDialog(null)}
        >
          <p>{t("flow-editor.publish-dialog.against", { version: automation.version })}</p>
          <DiffView diff={dialog.diff} />
          <p className="hint">{t("flow-editor.publish-dialog.hint")}</p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "discard" ? (
        <ConfirmDialog
          title={t("flow-editor.discard-dialog.title")}
          confirmLabel={t("flow-editor.discard-draft")}
          danger
          busy={busy !== null}
          onConfirm={() => void discard()}
          onCancel={() => setDialog(null)}
        >
          <p>{t("flow-editor.discard-dialog.body", { version: automation.version })}</p>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "rollback" ? (
        <ConfirmDialog
          title={t("flow-editor.rollback-dialog.title", { version: dialog.version })}
          confirmLabel={t("flow-editor.rollback-dialog.confirm")}
          busy={busy !== null}
          onConfirm={() => void rollBack(dialog.version)}
          onCancel={() => setDialog(null)}
        >
          <p>
            {t(hasDraft ? "flow-editor.rollback-dialog.body-draft" : "flow-editor.rollback-dialog.body", {
              version: dialog.version,
              next: automation.version + 1,
            })}
          </p>
        </ConfirmDialog>
      ) : null}
      {leaveDialog}
    </div>
  );
}

const STATUSES = ["active", "inactive", "archived"] as const;

/** The automation's status in the reader's language (an unknown one as the API says it). */
function statusText(status: string, t: Translate): string {
  const known = STATUSES.find((item) => item === status);
  return known === undefined ? status : t(`flow-editor.status.${known}`);
}

const CHECK_TEXT: Record<Exclude<Check, "idle" | "invalid">, MessageKey> = {
  checking: "flow-editor.check.checking",
  valid: "flow-editor.check.valid",
  failed: "flow-editor.check.failed",
};

function CheckStatus({ check, count }: { check: Check; count: number }) {
  const t = useT();
  const text = check === "idle" ? "" : check === "invalid" ? t("flow-editor.problems", { count }) : t(CHECK_TEXT[check]);
  if (text === "") return null;
  return <span className={`flow-editor__meta flow-editor__check flow-editor__check--${check}`}>{text}</span>;
}
