/**
 * The rendered email: its subject, the HTML in a sandboxed frame at desktop or mobile width,
 * or the text part. The frame runs no scripts and cannot reach the builder (`sandbox=""`).
 */
import { useState } from "react";
import type { Schemas } from "../api/client";
import { useT } from "../i18n/i18n";
import { useLanguageName } from "./locale-names";

type View = "desktop" | "mobile" | "text";

const VIEWS = [
  { view: "desktop", label: "templates.preview.desktop" },
  { view: "mobile", label: "templates.preview.mobile" },
  { view: "text", label: "templates.preview.text" },
] as const;

interface TemplatePreviewProps {
  preview: Schemas["TemplatePreview"] | null;
  updating: boolean;
  /** The shown preview is older than the source (the source does not render now). */
  stale: boolean;
}

export function TemplatePreview({ preview, updating, stale }: TemplatePreviewProps) {
  const t = useT();
  const languageName = useLanguageName();
  const [view, setView] = useState<View>("desktop");

  return (
    <section className="template-preview" aria-labelledby="template-preview-title">
      <div className="template-preview__bar">
        <h2 id="template-preview-title">{t("templates.preview.title")}</h2>
        <div className="template-preview__views" role="group" aria-label={t("templates.preview.width")}>
          {VIEWS.map((option) => (
            <button
              key={option.view}
              type="button"
              className="button--secondary"
              aria-pressed={view === option.view}
              onClick={() => setView(option.view)}
            >
              {t(option.label)}
            </button>
          ))}
        </div>
        <span className="template-preview__state" role="status">
          {updating ? t("templates.preview.updating") : stale ? t("templates.preview.stale") : ""}
        </span>
      </div>
      {preview === null ? (
        <p className="notice">{updating ? t("templates.preview.rendering") : t("templates.preview.none")}</p>
      ) : (
        <>
          <p className="template-preview__subject">
            <span className="template-preview__label">{t("templates.preview.subject")}</span>{" "}
            <span lang={preview.locale}>{preview.subject}</span>
          </p>
          <p className="hint template-preview__locale">
            {t("templates.preview.renderedIn", { language: languageName(preview.locale) })}
          </p>
          {view === "text" ? (
            <pre className="template-preview__text" tabIndex={0} aria-label={t("templates.preview.textLabel")} lang={preview.locale}>
              {preview.text || t("templates.preview.noText")}
            </pre>
          ) : (
            <div className={`template-preview__frame-wrap${stale ? " template-preview__frame-wrap--stale" : ""}`}>
              <iframe
                title={t("templates.preview.title")}
                sandbox=""
                srcDoc={preview.html}
                className={`template-preview__frame template-preview__frame--${view}`}
              />
            </div>
          )}
        </>
      )}
    </section>
  );
}
