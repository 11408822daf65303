/** Creates a template from a blank starter or from a copy of an existing one, then opens it. */
import { type FormEvent, useId, useState } from "react";
import { useNavigate } from "react-router";
import { type Schemas, unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { BLANK_STARTER } from "./starter";

const BLANK = "";
const NAME_PATTERN = "[a-z0-9][a-z0-9\\-]{0,63}";

interface NewTemplateFormProps {
  templates: readonly Schemas["TemplateSummary"][];
  onCancel: () => void;
}

export function NewTemplateForm({ templates, onCancel }: NewTemplateFormProps) {
  const { api } = useSession();
  const t = useT();
  const navigate = useNavigate();
  const nameId = useId();
  const sourceId = useId();
  const [name, setName] = useState("");
  const [copyOf, setCopyOf] = useState(BLANK);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function startingContent(): Promise<Schemas["TemplateContent"]> {
    if (copyOf === BLANK) return BLANK_STARTER;
    const original = await unwrap(api.GET("/api/v1/templates/{template}", { params: { path: { template: copyOf } } }));
    const newest = original.versions[0];
    if (newest === undefined) return BLANK_STARTER;
    // The copy keeps every language the original has.
    return {
      subject: newest.subject,
      mjml: newest.mjml,
      text: newest.text,
      locale: newest.locale,
      translations: newest.translations,
    };
  }

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const content = await startingContent();
      const description = copyOf === BLANK ? "" : t("templates.new.copyOf", { name: copyOf });
      const created = await unwrap(
        api.POST("/api/v1/templates", { body: { name: name.trim(), description, ...content } }),
      );
      void navigate(`/templates/${encodeURIComponent(created.name)}`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setBusy(false);
    }
  }

  return (
    <form className="new-template" onSubmit={(event) => void create(event)} aria-label={t("templates.new.form")}>
      <div className="new-template__fields">
        <div>
          <label htmlFor={nameId}>{t("templates.new.name")}</label>
          <input
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            pattern={NAME_PATTERN}
            aria-describedby={`${nameId}-hint`}
            placeholder="spring-sale"
            autoFocus
          />
          <p className="hint" id={`${nameId}-hint`}>
            {t("templates.new.nameHint")}
          </p>
        </div>
        <div>
          <label htmlFor={sourceId}>{t("templates.new.startFrom")}</label>
          <select id={sourceId} value={copyOf} onChange={(event) => setCopyOf(event.target.value)}>
            <option value={BLANK}>{t("templates.new.blank")}</option>
            {templates.map((template) => (
              <option key={template.id} value={template.name}>
                {t("templates.new.copyOf", { name: template.name })}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error !== null ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="new-template__actions">
        <button type="button" className="button--secondary" onClick={onCancel}>
          {t("templates.new.cancel")}
        </button>
        <button type="submit" disabled={busy}>
          {busy ? t("templates.new.creating") : t("templates.new.create")}
        </button>
      </div>
    </form>
  );
}
