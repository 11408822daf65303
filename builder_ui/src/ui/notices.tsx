/** The states every page shows the same way: loading, failed, empty. */
import type { ReactNode } from "react";
import { useT } from "../i18n/i18n";

/** `what` is already in the reader's language: `t("app.loading-account")`. */
export function Loading({ what }: { what: string }) {
  const t = useT();
  return (
    <p className="notice" role="status">
      {t("ui.loading", { what })}
    </p>
  );
}

export function ErrorNotice({ error, onRetry }: { error: Error | string; onRetry?: () => void }) {
  const t = useT();
  // The message is the server's (or the caller's, translated): said as it comes.
  const message = typeof error === "string" ? error : error.message;
  return (
    <div className="notice notice--error" role="alert">
      <span>{message || t("ui.error.fallback")}</span>
      {onRetry ? (
        <button type="button" className="button--secondary" onClick={onRetry}>
          {t("ui.error.retry")}
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-state__title">{title}</p>
      {children}
    </div>
  );
}
