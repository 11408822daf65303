/** `/automations/:automationId`: loads the automation (and the catalog) and opens the editor. */
import { Link, useParams } from "react-router";
import { unwrap } from "../api/client";
import type { Catalog } from "../definition/definition";
import { useT } from "../i18n/i18n";
import { AutomationTabs } from "../results/automation-tabs";
import { useSession } from "../session/session";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { FlowEditor } from "./flow-editor";
import "./flow-editor.css";

/** Roles that may not read the catalog (support) still see the flow, with plainer labels. */
const NO_CATALOG: Catalog = {
  actions: [],
  step_types: [],
  triggers: [],
  events: [],
  operators: [],
  field_roots: [],
  fields: [],
  templates: [],
};

export function FlowEditorPage() {
  const { automationId = "" } = useParams();
  const { api, can } = useSession();
  const t = useT();
  const readsCatalog = can("read_catalog");
  const { state, reload } = useApiData(
    async (signal) => {
      const [automation, catalog] = await Promise.all([
        unwrap(api.GET("/api/v1/automations/{automation_id}", { params: { path: { automation_id: automationId } }, signal })),
        readsCatalog ? unwrap(api.GET("/api/v1/catalog", { signal })) : Promise.resolve(NO_CATALOG),
      ]);
      return { automation, catalog };
    },
    [api, automationId, readsCatalog],
  );

  if (state.kind === "loading") return <Loading what={t("flow-editor.loading")} />;
  if (state.kind === "error") {
    return (
      <>
        <p>
          <Link to="/automations">{t("flow-editor.all-automations")}</Link>
        </p>
        <ErrorNotice error={state.error} onRetry={reload} />
      </>
    );
  }
  return (
    <FlowEditor
      automation={state.data.automation}
      catalog={state.data.catalog}
      onReload={reload}
      tabs={can("read_results") ? <AutomationTabs automationId={automationId} /> : null}
    />
  );
}
