import { useEffect, useId, useRef, type ReactNode } from "react";
import { useT } from "../i18n/i18n";

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** "Cancel" in the reader's language unless given. */
  cancelLabel?: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
  busy?: boolean;
  /** Keeps the confirm button disabled (e.g. until the user typed what confirms it). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal question. Focus moves into it when it opens, Escape cancels, and focus returns to
 * where it was when it closes.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  danger = false,
  busy = false,
  confirmDisabled = false,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const t = useT();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panel.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
    return () => before?.focus();
  }, []);

  return (
    <div className="dialog-backdrop">
      <div
        ref={panel}
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onKeyDown={(event) => {
          if (event.key === "Escape") onCancel();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        <div className="dialog__actions">
          <button type="button" className="button--secondary" onClick={onCancel} disabled={busy}>
            {cancelLabel ?? t("ui.dialog.cancel")}
          </button>
          <button
            type="button"
            className={danger ? "button--danger" : undefined}
            onClick={onConfirm}
            disabled={busy || confirmDisabled}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
