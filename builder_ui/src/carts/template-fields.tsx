/** A message's template (one of the published ones) and optional subject, for one cart or many. */
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { useApiData, type DataState } from "../ui/use-api-data";
import { publishedTemplates } from "./carts-api";

/** The published templates' names, loaded once `wanted`. */
export function useTemplates(wanted: boolean): DataState<string[]> {
  const { api } = useSession();
  const { state } = useApiData(
    (signal) => (wanted ? publishedTemplates(api, signal) : Promise.resolve([])),
    [api, wanted],
  );
  return state;
}

export function TemplateFields({
  idPrefix,
  templates,
  template,
  subject,
  disabled = false,
  onTemplate,
  onSubject,
}: {
  idPrefix: string;
  templates: DataState<string[]>;
  template: string;
  subject: string;
  disabled?: boolean;
  onTemplate: (name: string) => void;
  onSubject: (subject: string) => void;
}) {
  const t = useT();
  const names = templates.kind === "loaded" ? templates.data : [];
  const hint =
    templates.kind === "loading"
      ? t("carts.template.loading")
      : templates.kind === "error"
        ? t("carts.template.failed", { error: templates.error.message })
        : names.length === 0
          ? t("carts.template.none")
          : null;
  return (
    <div className="carts__fields">
      <div>
        <label htmlFor={`${idPrefix}-template`}>{t("carts.template.label")}</label>
        <select
          id={`${idPrefix}-template`}
          value={template}
          required
          disabled={disabled}
          aria-describedby={hint ? `${idPrefix}-template-hint` : undefined}
          onChange={(event) => onTemplate(event.target.value)}
        >
          <option value="">{t("carts.template.choose")}</option>
          {names.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
        {hint ? (
          <p id={`${idPrefix}-template-hint`} className="hint">
            {hint}
          </p>
        ) : null}
      </div>
      <div className="carts__subject">
        <label htmlFor={`${idPrefix}-subject`}>{t("carts.template.subject")}</label>
        <input
          id={`${idPrefix}-subject`}
          value={subject}
          disabled={disabled}
          placeholder={t("carts.template.subjectPlaceholder")}
          aria-describedby={`${idPrefix}-subject-hint`}
          onChange={(event) => onSubject(event.target.value)}
        />
        <p id={`${idPrefix}-subject-hint`} className="hint">
          {t("carts.template.subjectHint")}
        </p>
      </div>
    </div>
  );
}
