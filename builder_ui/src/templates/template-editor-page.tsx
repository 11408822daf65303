/** `/templates/:templateName`: loads the template and the variables, then the editor. */
import { useParams } from "react-router";
import { unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { useApiData } from "../ui/use-api-data";
import { ErrorNotice, Loading } from "../ui/notices";
import { TemplateEditor } from "./template-editor";

export function TemplateEditorPage() {
  const { templateName = "" } = useParams();
  const { api, can } = useSession();
  const t = useT();
  const allowed = can("edit_templates");
  const template = useApiData(
    (signal) =>
      allowed
        ? unwrap(api.GET("/api/v1/templates/{template}", { params: { path: { template: templateName } }, signal }))
        : Promise.resolve(null),
    [api, templateName, allowed],
  );
  const variables = useApiData(
    (signal) => (allowed ? unwrap(api.GET("/api/v1/templates/variables", { signal })) : Promise.resolve([])),
    [api, allowed],
  );

  if (!allowed) return <ErrorNotice error={t("templates.notAllowed")} />;
  if (template.state.kind === "loading") return <Loading what={t("templates.editor.loading")} />;
  if (template.state.kind === "error") return <ErrorNotice error={template.state.error} onRetry={template.reload} />;
  if (template.state.data === null) return null;

  return (
    <TemplateEditor
      key={template.state.data.id}
      template={template.state.data}
      variables={{
        list: variables.state.kind === "loaded" ? variables.state.data : [],
        error: variables.state.kind === "error" ? variables.state.error : null,
        retry: variables.reload,
      }}
    />
  );
}
