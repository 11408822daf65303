import { act, fireEvent, screen, within } from "@testing-library/react";
import { useState } from "react";
import { Link } from "react-router";
import { describe, expect, it } from "vitest";
import { LanguageProvider, translate } from "../i18n/i18n";
import { renderInRouter } from "../test/render-in-router";
import { testSession } from "../test/session";
import { UNSAVED_CHANGES_TITLE, useUnsavedChangesGuard } from "./use-unsaved-changes-guard";

/** The smallest editor: a note that is dirty until saved. */
function NoteEditor() {
  const [text, setText] = useState("");
  const [saved, setSaved] = useState("");
  const leaveDialog = useUnsavedChangesGuard(text !== saved, "the note");
  return (
    <>
      <label>
        Note <input value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      <button type="button" onClick={() => setSaved(text)}>
        Save
      </button>
      <Link to="/list">The list</Link>
      <Link to="/note?tab=preview">Preview tab</Link>
      {leaveDialog}
    </>
  );
}

function renderNote({ from = "/note" }: { from?: string } = {}) {
  const view = renderInRouter(
    [
      { path: "/note", element: <NoteEditor /> },
      { path: "/list", element: <h1>All notes</h1> },
    ],
    { at: from, session: testSession("marketer") },
  );
  return { ...view, pathname: () => view.router.state.location.pathname };
}

function type(text: string) {
  fireEvent.change(screen.getByLabelText("Note"), { target: { value: text } });
}

function leaveDialog() {
  return screen.findByRole("dialog", { name: translate("en", UNSAVED_CHANGES_TITLE) });
}

function beforeUnloadPrevented(): boolean {
  const event = new Event("beforeunload", { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
}

describe("useUnsavedChangesGuard", () => {
  it("asks before a link leaves unsaved changes; Stay keeps the page and the edits", async () => {
    const { pathname } = renderNote();
    type("Call the customer");

    fireEvent.click(screen.getByRole("link", { name: "The list" }));

    const dialog = await leaveDialog();
    expect(dialog).toHaveTextContent("You have unsaved changes to the note. Leave and discard them?");
    // The safe answer has the focus, so Enter does not throw the edits away.
    expect(within(dialog).getByRole("button", { name: "Stay" })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole("button", { name: "Stay" }));

    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Note")).toHaveValue("Call the customer");
    expect(pathname()).toBe("/note");
  });

  it("goes where the user was going after Discard and leave", async () => {
    renderNote();
    type("Call the customer");

    fireEvent.click(screen.getByRole("link", { name: "The list" }));
    fireEvent.click(within(await leaveDialog()).getByRole("button", { name: "Discard and leave" }));

    expect(await screen.findByRole("heading", { name: "All notes" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("asks on Back too, and Escape stays", async () => {
    const { router, pathname } = renderNote({ from: "/list" });
    await act(() => router.navigate("/note"));
    type("Call the customer");

    await act(() => router.navigate(-1));

    const dialog = await leaveDialog();
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Note")).toHaveValue("Call the customer");
    expect(pathname()).toBe("/note");
  });

  it("lets the user leave without asking when nothing is unsaved", async () => {
    renderNote();

    fireEvent.click(screen.getByRole("link", { name: "The list" }));

    expect(await screen.findByRole("heading", { name: "All notes" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("lets the user leave without asking once the edits are saved", async () => {
    renderNote();
    type("Call the customer");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    fireEvent.click(screen.getByRole("link", { name: "The list" }));

    expect(await screen.findByRole("heading", { name: "All notes" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("does not ask when the navigation stays on the same page (another query)", async () => {
    const { router } = renderNote();
    type("Call the customer");

    fireEvent.click(screen.getByRole("link", { name: "Preview tab" }));

    await act(() => Promise.resolve());
    expect(router.state.location.search).toBe("?tab=preview");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Note")).toHaveValue("Call the customer");
  });

  it("has the browser warn before closing the tab only while there are unsaved changes", () => {
    renderNote();
    expect(beforeUnloadPrevented()).toBe(false);

    type("Call the customer");
    expect(beforeUnloadPrevented()).toBe(true);

    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(beforeUnloadPrevented()).toBe(false);
  });
});

describe("useUnsavedChangesGuard in Korean", () => {
  it("asks in Korean", async () => {
    renderInRouter(
      [
        {
          path: "/note",
          element: (
            <LanguageProvider initial="ko">
              <NoteEditor />
            </LanguageProvider>
          ),
        },
        { path: "/list", element: <h1>All notes</h1> },
      ],
      { at: "/note", session: testSession("marketer") },
    );
    type("Call the customer");
    fireEvent.click(screen.getByRole("link", { name: "The list" }));

    const dialog = await screen.findByRole("dialog", { name: "저장하지 않은 변경 사항" });
    expect(within(dialog).getByRole("button", { name: "머무르기" })).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "버리고 나가기" })).toBeInTheDocument();
    expect(dialog).toHaveTextContent("the note에 저장하지 않은 변경 사항이 있습니다.");
  });
});
