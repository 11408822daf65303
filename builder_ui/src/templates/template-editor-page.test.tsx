import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { jsonResponse } from "../test/fixtures";
import { VARIABLES, preview, templatePublic } from "../test/template-fixtures";
import { TemplateEditorPage } from "./template-editor-page";
import { callsTo, renderAs } from "../test/test-session";

type FetchRoutes = Parameters<typeof renderAs>[2]["routes"];

const BASE: FetchRoutes = {
  "GET /api/v1/templates/cart-reminder": templatePublic("cart-reminder"),
  "GET /api/v1/templates/variables": VARIABLES,
  "POST /api/v1/templates/cart-reminder/preview": () => jsonResponse(preview("<p>Hi Jane</p>")),
};

function renderEditor(routes: FetchRoutes = {}) {
  return renderAs("marketer", <TemplateEditorPage />, {
    path: "/templates/:templateName",
    at: "/templates/cart-reminder",
    routes: { ...BASE, ...routes },
  });
}

// The preview waits for the editor to be still (500 ms), and CodeMirror in jsdom is slow.
function previewShown() {
  return screen.findByTitle("Preview", {}, { timeout: 4000 });
}

async function bodiesOf(requests: Request[]): Promise<unknown[]> {
  return Promise.all(requests.map((request) => request.clone().json()));
}

describe("TemplateEditorPage", () => {
  it("loads the newest version into the editor and previews it with the sample cart", async () => {
    const { fetchMock } = renderEditor();

    expect(await screen.findByRole("heading", { name: "cart-reminder" })).toBeInTheDocument();
    expect(screen.getByLabelText("Subject")).toHaveValue("Your cart is waiting");
    expect(screen.getByRole("textbox", { name: "Template source" })).toHaveTextContent("<mj-text>Hi {{ customer.first_name }}</mj-text>");
    expect(screen.getByText("Saved: version 1 is published")).toBeInTheDocument();

    const frame = await previewShown();
    expect(frame).toHaveAttribute("sandbox", "");
    expect(frame).toHaveAttribute("srcdoc", "<p>Hi Jane</p>");
    const [body] = await bodiesOf(callsTo(fetchMock, "POST /api/v1/templates/cart-reminder/preview"));
    expect(body).toMatchObject({ content: { subject: "Your cart is waiting", text: "Hi {{ customer.first_name }}" } });
  });

  it("lists a problem the checks found with its line, and marks that line in the editor", async () => {
    renderEditor({
      "POST /api/v1/templates/cart-reminder/preview": () =>
        jsonResponse(
          {
            code: "invalid_template",
            message: "mjml: line 5: Unexpected end of template",
            problems: [{ field: "content.mjml", message: "line 5: Unexpected end of template", line: 5 }],
          },
          422,
        ),
    });

    const alert = await screen.findByRole("alert", {}, { timeout: 4000 });
    expect(alert).toHaveTextContent("This template does not render:");
    expect(alert).toHaveTextContent("Line 5: Unexpected end of template");
    await waitFor(() => expect(document.querySelector(".cm-lint-marker-error")).not.toBeNull());
    expect(screen.getByText("No preview yet: fix the problems listed.")).toBeInTheDocument();
  });

  it("previews again after an edit, shows unsaved changes, and saves the draft", async () => {
    const { fetchMock } = renderEditor({
      "PUT /api/v1/templates/cart-reminder/draft": () =>
        jsonResponse({ ...templatePublic("cart-reminder", { draft_version: 2 }) }),
    });
    await previewShown();

    fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "Still thinking it over?" } });

    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
    await waitFor(() => expect(callsTo(fetchMock, "POST /api/v1/templates/cart-reminder/preview")).toHaveLength(2), {
      timeout: 4000,
    });
    const previews = await bodiesOf(callsTo(fetchMock, "POST /api/v1/templates/cart-reminder/preview"));
    expect(previews[1]).toMatchObject({ content: { subject: "Still thinking it over?" } });

    fireEvent.click(screen.getByRole("button", { name: "Save draft" }));

    expect(await screen.findByText("Saved as draft version 2, not published")).toBeInTheDocument();
    const [saved] = await bodiesOf(callsTo(fetchMock, "PUT /api/v1/templates/cart-reminder/draft"));
    expect(saved).toMatchObject({ subject: "Still thinking it over?" });
  });

  it("shows why a publish was refused, with the line", async () => {
    renderEditor({
      "POST /api/v1/templates/cart-reminder/preview": () => jsonResponse(preview("<p>ok</p>")),
      "PUT /api/v1/templates/cart-reminder/draft": () =>
        jsonResponse(
          {
            code: "invalid_template",
            message: "mjml: line 5: unknown variable 'coupon'",
            problems: [{ field: "mjml", message: "line 5: unknown variable 'coupon'", line: 5 }],
          },
          422,
        ),
    });
    await previewShown();
    fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "New subject" } });

    fireEvent.click(screen.getByRole("button", { name: "Publish" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not saved:");
    expect(alert).toHaveTextContent("Line 5: unknown variable 'coupon'");
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
  });

  it("inserts a variable where the marketer was typing: the source, or the subject", async () => {
    renderEditor();
    await previewShown();
    const editor = screen.getByRole("textbox", { name: "Template source" });

    fireEvent.change(screen.getByLabelText("Variable"), { target: { value: "discount.code" } });
    fireEvent.click(screen.getByRole("button", { name: "Insert" }));
    expect(editor).toHaveTextContent("{% if discount %}{{ discount.code }}{% endif %}<mjml>");

    fireEvent.focus(screen.getByLabelText("Subject"));
    fireEvent.change(screen.getByLabelText("Variable"), { target: { value: "cart.total" } });
    fireEvent.click(screen.getByRole("button", { name: "Insert" }));
    expect(screen.getByLabelText("Subject")).toHaveValue("Your cart is waiting{{ cart.total }}");
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();
  });

  it("sends a test of what the editor shows and says it is in the outbox", async () => {
    const { fetchMock } = renderEditor({
      "POST /api/v1/templates/cart-reminder/test-send": () =>
        jsonResponse(
          { message_id: 7, to: "me@example.com", subject: "[Test] Your cart is waiting", version: null, transport: "outbox" },
          202,
        ),
    });
    await previewShown();

    fireEvent.change(screen.getByLabelText("Send a test to"), { target: { value: "me@example.com" } });
    fireEvent.click(screen.getByRole("button", { name: "Send test" }));

    expect(await screen.findByText(/went to me@example.com/)).toHaveTextContent("in the outbox");
    const [sent] = await bodiesOf(callsTo(fetchMock, "POST /api/v1/templates/cart-reminder/test-send"));
    expect(sent).toMatchObject({ to: "me@example.com", content: { subject: "Your cart is waiting" } });
  });

  it("shows the text part and the mobile width on request", async () => {
    renderEditor();
    const frame = await previewShown();
    expect(frame).toHaveClass("template-preview__frame--desktop");

    fireEvent.click(screen.getByRole("button", { name: "Mobile" }));
    expect(screen.getByTitle("Preview")).toHaveClass("template-preview__frame--mobile");

    fireEvent.click(screen.getByRole("button", { name: "Text" }));
    expect(screen.getByLabelText("Text part preview")).toHaveTextContent("Hi Jane");
  });

  it("shows a template that does not exist as an error", async () => {
    renderEditor({
      "GET /api/v1/templates/cart-reminder": () => jsonResponse({ code: "not_found", message: "no template 'cart-reminder'" }, 404),
    });

    expect(await screen.findByRole("alert")).toHaveTextContent("no template 'cart-reminder'");
  });
});
