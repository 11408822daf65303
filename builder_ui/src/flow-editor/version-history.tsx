/** The published versions, newest first, with what each changed; view one or roll back to it. */
import type { Api, Schemas } from "../api/client";
import { unwrap } from "../api/client";
import { useLanguage, useT, type Language } from "../i18n/i18n";
import { useApiData } from "../ui/use-api-data";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";

type Summary = Schemas["AutomationVersionSummary"];

export interface VersionHistoryProps {
  api: Api;
  automationId: string;
  /** The live version: the list reloads when it changes. */
  currentVersion: number;
  viewing: number | null;
  canRollBack: boolean;
  onView: (version: number) => void;
  onRollBack: (version: number) => void;
}

const MAX_CHANGES = 4;

function when(iso: string, language: Language): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(language);
}

function VersionItem({ item, viewing, canRollBack, onView, onRollBack }: { item: Summary } & Omit<VersionHistoryProps, "api" | "automationId" | "currentVersion">) {
  const t = useT();
  const { language } = useLanguage();
  const headingId = `version-${item.version}`;
  const hidden = item.changes.length - MAX_CHANGES;
  return (
    <li className={`version-history__item${viewing === item.version ? " version-history__item--viewing" : ""}`}>
      <h3 id={headingId}>
        {t("flow-editor.version", { version: item.version })}
        {item.current ? <span className="badge badge--active">{t("flow-editor.history.live")}</span> : null}
      </h3>
      <p className="hint">
        {when(item.published_at, language)}
        {item.source_version !== null ? ` · ${t("flow-editor.history.copy-of", { version: item.source_version })}` : ""}
      </p>
      {item.changes.length > 0 ? (
        <ul className="version-history__changes">
          {item.changes.slice(0, MAX_CHANGES).map((change) => (
            <li key={change}>{change}</li>
          ))}
          {hidden > 0 ? <li>{t("flow-editor.history.more", { count: hidden })}</li> : null}
        </ul>
      ) : null}
      <div className="version-history__actions">
        <button type="button" className="button--secondary" aria-describedby={headingId} onClick={() => onView(item.version)}>
          {t("flow-editor.history.view")}
        </button>
        {canRollBack && !item.current ? (
          <button type="button" className="button--secondary" aria-describedby={headingId} onClick={() => onRollBack(item.version)}>
            {t("flow-editor.history.roll-back")}
          </button>
        ) : null}
      </div>
    </li>
  );
}

export function VersionHistory({ api, automationId, currentVersion, ...rest }: VersionHistoryProps) {
  const t = useT();
  const { state, reload } = useApiData(
    (signal) =>
      unwrap(api.GET("/api/v1/automations/{automation_id}/versions", { params: { path: { automation_id: automationId } }, signal })),
    [api, automationId, currentVersion],
  );
  return (
    <section className="version-history" aria-labelledby="version-history-title">
      <h2 id="version-history-title">{t("flow-editor.version-history")}</h2>
      {state.kind === "loading" ? <Loading what={t("flow-editor.history.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" && state.data.length === 0 ? <EmptyState title={t("flow-editor.history.empty")} /> : null}
      {state.kind === "loaded" && state.data.length > 0 ? (
        <ol className="version-history__list">
          {state.data.map((item) => (
            <VersionItem key={item.version} item={item} {...rest} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}
