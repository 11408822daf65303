/**
 * Keeps an editor's unsaved edits from being lost by leaving: closing or reloading the tab gets
 * the browser's own warning, and leaving through the app (a link, the Back button) asks first
 * with the app's dialog. `useBlocker` needs a data router: `createHashRouter` in the app,
 * `createMemoryRouter` in tests.
 */
import { type ReactNode, useCallback, useEffect } from "react";
import { type BlockerFunction, useBlocker } from "react-router";
import { ConfirmDialog } from "./confirm-dialog";

export const UNSAVED_CHANGES_TITLE = "Unsaved changes";

/**
 * While `dirty`, warns before the page is left. `what` names what is being edited ("the
 * template “cart-reminder”"). Returns the dialog to render: nothing until a navigation is held.
 */
export function useUnsavedChangesGuard(dirty: boolean, what: string): ReactNode {
  // Another query string or hash on the same path keeps the editor mounted, and so its edits.
  const leavesWithEdits = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
    [dirty],
  );
  const blocker = useBlocker(leavesWithEdits);

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
      title={UNSAVED_CHANGES_TITLE}
      confirmLabel="Discard and leave"
      cancelLabel="Stay"
      danger
      onConfirm={() => blocker.proceed()}
      onCancel={() => blocker.reset()}
    >
      <p>You have unsaved changes to {what}. Leave and discard them?</p>
    </ConfirmDialog>
  );
}
