/**
 * A read-only value to paste elsewhere (a webhook URL, a script tag) with a Copy button. Without
 * clipboard access (an insecure origin, a denied permission) it selects the text for Ctrl+C.
 */
import { useId, useRef, useState } from "react";
import { useT } from "../i18n/i18n";

export function CopyField({ label, value, multiline = false }: { label: string; value: string; multiline?: boolean }) {
  const t = useT();
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [copied, setCopied] = useState<"yes" | "select" | null>(null);
  const id = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("yes");
    } catch {
      field.current?.select();
      setCopied("select");
    }
  }

  const shared = {
    id,
    ref: field,
    readOnly: true,
    value,
    className: "copy-field__value",
    onFocus: (e: { target: HTMLInputElement | HTMLTextAreaElement }) => e.target.select(),
  };
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="setting-inline">
        {multiline ? <textarea rows={value.split("\n").length} {...shared} /> : <input {...shared} />}
        <button type="button" className="button--secondary" aria-label={t("settings.copy.label", { label })} onClick={() => void copy()}>
          {t("settings.copy.button")}
        </button>
      </div>
      <p className="hint" role="status">
        {copied === "yes" ? t("settings.copy.copied") : null}
        {copied === "select" ? t("settings.copy.selected") : null}
      </p>
    </div>
  );
}
