/** `/templates`: the email templates with their versions, and a way to start a new one. */
import { useState } from "react";
import { Link } from "react-router";
import { type Schemas, unwrap } from "../api/client";
import { useSession } from "../session/session";
import { EmptyState, ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { NewTemplateForm } from "./new-template-form";
import "./templates.css";

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function TemplatesTable({ templates }: { templates: readonly Schemas["TemplateSummary"][] }) {
  return (
    <div className="table-wrap">
      <table className="automations__table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Published</th>
            <th scope="col">Draft</th>
            <th scope="col">Updated</th>
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
                  <span className="badge badge--inactive">Not published</span>
                ) : (
                  <span className="badge badge--active">Version {template.current_version}</span>
                )}
              </td>
              <td>{template.draft_version === null ? "—" : `Version ${template.draft_version}`}</td>
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
  const allowed = can("edit_templates");
  const [creating, setCreating] = useState(false);
  const { state, reload } = useApiData(
    (signal) => (allowed ? unwrap(api.GET("/api/v1/templates", { signal })) : Promise.resolve([])),
    [api, allowed],
  );

  if (!allowed) return <ErrorNotice error="Your role cannot edit templates: ask a marketer or an admin." />;

  return (
    <div className="templates">
      <div className="templates__header">
        <h1>Templates</h1>
        {!creating && state.kind === "loaded" ? (
          <button type="button" onClick={() => setCreating(true)}>
            New template
          </button>
        ) : null}
      </div>
      <p className="hint">
        MJML with Jinja placeholders. A send uses a template's published version; drafts are yours to preview.
      </p>
      {state.kind === "loading" ? <Loading what="the templates" /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        <>
          {creating ? <NewTemplateForm templates={state.data} onCancel={() => setCreating(false)} /> : null}
          {state.data.length === 0 ? (
            <EmptyState title="No templates yet">
              <p>Start one from the blank starter with “New template”; its preview uses a sample cart.</p>
            </EmptyState>
          ) : (
            <TemplatesTable templates={state.data} />
          )}
        </>
      ) : null}
    </div>
  );
}
