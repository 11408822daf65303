import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { renderInRouter } from "../test/render-in-router";
import { testSession } from "../test/session";
import { VARIABLES, preview, templatePublic } from "../test/template-fixtures";
import { TemplateEditorPage } from "./template-editor-page";
import "../test/test-session"; // CodeMirror's jsdom stand-ins

async function openAndEditTheSubject() {
  vi.stubGlobal(
    "fetch",
    vi.fn(
      routedFetch({
        "GET /api/v1/templates/cart-reminder": templatePublic("cart-reminder"),
        "GET /api/v1/templates/variables": VARIABLES,
        "POST /api/v1/templates/cart-reminder/preview": () => jsonResponse(preview("<p>Hi Jane</p>")),
        "PUT /api/v1/templates/cart-reminder/draft": () => jsonResponse(templatePublic("cart-reminder", { draft_version: 2 })),
      }),
    ),
  );
  renderInRouter(
    [
      { path: "/templates/:templateName", element: <TemplateEditorPage /> },
      { path: "/templates", element: <h1>All templates</h1> },
    ],
    { at: "/templates/cart-reminder", session: testSession("marketer") },
  );
  fireEvent.change(await screen.findByLabelText("Subject"), { target: { value: "Still thinking it over?" } });
}

const backToTheList = () => fireEvent.click(screen.getByRole("link", { name: "← Templates" }));

describe("TemplateEditor with unsaved changes", () => {
  it("asks before leaving: Stay keeps the edit, Discard and leave opens the list", async () => {
    await openAndEditTheSubject();

    backToTheList();
    const dialog = await screen.findByRole("dialog", { name: "Unsaved changes" });
    expect(dialog).toHaveTextContent("You have unsaved changes to the template “cart-reminder”.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Stay" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Subject")).toHaveValue("Still thinking it over?");

    backToTheList();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard and leave" }));
    expect(await screen.findByRole("heading", { name: "All templates" })).toBeInTheDocument();
  });

  it("leaves without asking once the draft is saved", async () => {
    await openAndEditTheSubject();
    fireEvent.click(screen.getByRole("button", { name: "Save draft" }));
    expect(await screen.findByText("Saved as draft version 2, not published")).toBeInTheDocument();

    backToTheList();

    expect(await screen.findByRole("heading", { name: "All templates" })).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
