/** A message's template (one of the published ones) and optional subject, for one cart or many. */
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
  const names = templates.kind === "loaded" ? templates.data : [];
  const hint =
    templates.kind === "loading"
      ? "Loading the templates…"
      : templates.kind === "error"
        ? `The templates did not load: ${templates.error.message}`
        : names.length === 0
          ? "No template is published yet: publish one on the Templates page."
          : null;
  return (
    <div className="carts__fields">
      <div>
        <label htmlFor={`${idPrefix}-template`}>Template</label>
        <select
          id={`${idPrefix}-template`}
          value={template}
          required
          disabled={disabled}
          aria-describedby={hint ? `${idPrefix}-template-hint` : undefined}
          onChange={(event) => onTemplate(event.target.value)}
        >
          <option value="">Choose a template…</option>
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
        <label htmlFor={`${idPrefix}-subject`}>Subject (optional)</label>
        <input
          id={`${idPrefix}-subject`}
          value={subject}
          disabled={disabled}
          placeholder="The template's own subject"
          aria-describedby={`${idPrefix}-subject-hint`}
          onChange={(event) => onSubject(event.target.value)}
        />
        <p id={`${idPrefix}-subject-hint`} className="hint">
          Leave empty to use the template's subject.
        </p>
      </div>
    </div>
  );
}
