/**
 * Keeps an editor's unsaved edits from being lost by leaving: closing or reloading the tab gets
 * the browser's own warning, and leaving through the app (a link, the Back button) asks first
 * with the app's dialog. `useBlocker` needs a data router: `createHashRouter` in the app,
 * `createMemoryRouter` in tests.
 */
import { type ReactNode, useCallback, useEffect } from "react";
import { type BlockerFunction, useBlocker } from "react-router";
import type { MessageKey } from "../i18n/catalogue";
import { useT } from "../i18n/i18n";
import { ConfirmDialog } from "./confirm-dialog";

/** The dialog's title, a key: `translate(language, UNSAVED_CHANGES_TITLE)` is what it reads. */
export const UNSAVED_CHANGES_TITLE = "ui.unsaved-changes.title" satisfies MessageKey;

/**
 * While `dirty`, warns before the page is left. `what` names what is being edited, in the
 * reader's language ("the template “cart-reminder”"). Returns the dialog to render: nothing until a navigation is held.
 */
export function useUnsavedChangesGuard(dirty: boolean, what: string): ReactNode {
  // Another query string or hash on the same path keeps the editor mounted, and so its edits.
  const leavesWithEdits = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
    [dirty],
  );
  const blocker = useBlocker(leavesWithEdits);
  const t = useT();

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Browsers that predate `preventDefault` here only warn when `returnValue` is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  if (blocker.state !== "blocked") return null;
  return (
    <ConfirmDialog
      title={t(UNSAVED_CHANGES_TITLE)}
      confirmLabel={t("ui.unsaved-changes.leave")}
      cancelLabel={t("ui.unsaved-changes.stay")}
      danger
      onConfirm={() => blocker.proceed()}
      onCancel={() => blocker.reset()}
    >
      <p>{t("ui.unsaved-changes.body", { what })}</p>
    </ConfirmDialog>
  );
}
