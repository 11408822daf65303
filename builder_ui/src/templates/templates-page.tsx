/** `/templates`: the email templates with their versions, and a way to start a new one. */
import { useState } from "react";
import { Link } from "react-router";
import { type Schemas, unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { NewTemplateForm } from "./new-template-form";
import "./templates.css";

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function TemplatesTable({ templates }: { templates: readonly Schemas["TemplateSummary"][] }) {
  const t = useT();
  return (
    <div className="table-wrap">
      <table className="automations__table">
        <thead>
          <tr>
            <th scope="col">{t("templates.list.name")}</th>
            <th scope="col">{t("templates.list.published")}</th>
            <th scope="col">{t("templates.list.draft")}</th>
            <th scope="col">{t("templates.list.updated")}</th>
          </tr>
        </thead>
        <tbody>
          {templates.map((template) => (
            <tr key={template.id}>
              <th scope="row">
                <Link to={`/templates/${encodeURIComponent(template.name)}`}>{template.name}</Link>
                {template.description ? <div className="templates__description">{template.description}</div> : null}
              </th>
              <td>
                {template.current_version === null ? (
                  <span className="badge badge--inactive">{t("templates.list.notPublished")}</span>
                ) : (
                  <span className="badge badge--active">
                    {t("templates.list.version", { version: String(template.current_version) })}
                  </span>
                )}
              </td>
              <td>
                {template.draft_version === null
                  ? "—"
                  : t("templates.list.version", { version: String(template.draft_version) })}
              </td>
              <td>{formatDate(template.updated_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TemplatesPage() {
  const { api, can } = useSession();
  const t = useT();
  const allowed = can("edit_templates");
  const [creating, setCreating] = useState(false);
  const { state, reload } = useApiData(
    (signal) => (allowed ? unwrap(api.GET("/api/v1/templates", { signal })) : Promise.resolve([])),
    [api, allowed],
  );

  if (!allowed) return <ErrorNotice error={t("templates.notAllowed")} />;

  return (
    <div className="templates">
      <div className="templates__header">
        <h1>{t("templates.list.title")}</h1>
        {!creating && state.kind === "loaded" ? (
          <button type="button" onClick={() => setCreating(true)}>
            {t("templates.list.new")}
          </button>
        ) : null}
      </div>
      <p className="hint">{t("templates.list.hint")}</p>
      {state.kind === "loading" ? <Loading what={t("templates.list.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        <>
          {creating ? <NewTemplateForm templates={state.data} onCancel={() => setCreating(false)} /> : null}
          {state.data.length === 0 ? (
            <EmptyState title={t("templates.list.emptyTitle")}>
              <p>{t("templates.list.emptyBody")}</p>
            </EmptyState>
          ) : (
            <TemplatesTable templates={state.data} />
          )}
        </>
      ) : null}
    </div>
  );
}
