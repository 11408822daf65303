/**
 * The rendered email: its subject, the HTML in a sandboxed frame at desktop or mobile width,
 * or the text part. The frame runs no scripts and cannot reach the builder (`sandbox=""`).
 */
import { useState } from "react";
import type { Schemas } from "../api/client";

type View = "desktop" | "mobile" | "text";

const VIEWS: { view: View; label: string }[] = [
  { view: "desktop", label: "Desktop" },
  { view: "mobile", label: "Mobile" },
  { view: "text", label: "Text" },
];

interface TemplatePreviewProps {
  preview: Schemas["TemplatePreview"] | null;
  updating: boolean;
  /** The shown preview is older than the source (the source does not render now). */
  stale: boolean;
}

export function TemplatePreview({ preview, updating, stale }: TemplatePreviewProps) {
  const [view, setView] = useState<View>("desktop");

  return (
    <section className="template-preview" aria-labelledby="template-preview-title">
      <div className="template-preview__bar">
        <h2 id="template-preview-title">Preview</h2>
        <div className="template-preview__views" role="group" aria-label="Preview width">
          {VIEWS.map((option) => (
            <button
              key={option.view}
              type="button"
              className="button--secondary"
              aria-pressed={view === option.view}
              onClick={() => setView(option.view)}
            >
              {option.label}
            </button>
          ))}
        </div>
        <span className="template-preview__state" role="status">
          {updating ? "Updating preview…" : stale ? "Showing the last version that rendered" : ""}
        </span>
      </div>
      {preview === null ? (
        <p className="notice">{updating ? "Rendering the preview…" : "No preview yet: fix the problems listed."}</p>
      ) : (
        <>
          <p className="template-preview__subject">
            <span className="template-preview__label">Subject</span> {preview.subject}
          </p>
          {view === "text" ? (
            <pre className="template-preview__text" tabIndex={0} aria-label="Text part preview">
              {preview.text || "(This template has no text part.)"}
            </pre>
          ) : (
            <div className={`template-preview__frame-wrap${stale ? " template-preview__frame-wrap--stale" : ""}`}>
              <iframe
                title="Preview"
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
