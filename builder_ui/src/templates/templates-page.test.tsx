import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { jsonResponse } from "../test/fixtures";
import { summary, templatePublic } from "../test/template-fixtures";
import { callsTo, renderAs } from "../test/test-session";
import { TemplatesPage } from "./templates-page";

const LIST = [
  summary("cart-reminder", { description: "A gentle reminder" }),
  summary("spring-sale", { current_version: null, draft_version: 1 }),
];

function renderList(routes: Parameters<typeof renderAs>[2]["routes"], role: "marketer" | "support" = "marketer") {
  return renderAs(role, <TemplatesPage />, { path: "/templates", at: "/templates", routes });
}

describe("TemplatesPage", () => {
  it("lists the templates with their published and draft versions, each linking to its editor", async () => {
    renderList({ "GET /api/v1/templates": LIST });

    const link = await screen.findByRole("link", { name: "cart-reminder" });
    expect(link).toHaveAttribute("href", "/templates/cart-reminder");
    const rows = screen.getAllByRole("row");
    expect(rows[1]).toHaveTextContent("A gentle reminder");
    expect(rows[1]).toHaveTextContent("Version 1");
    expect(rows[2]).toHaveTextContent("Not published");
    expect(rows[2]).toHaveTextContent("Version 1");
  });

  it("shows the loading state, then an error with a way to try again", async () => {
    renderList({ "GET /api/v1/templates": () => jsonResponse({ code: "unavailable", message: "database down" }, 503) });

    expect(screen.getByRole("status")).toHaveTextContent("Loading the templates");
    expect(await screen.findByRole("alert")).toHaveTextContent("database down");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("shows an empty state when there are no templates", async () => {
    renderList({ "GET /api/v1/templates": [] });

    expect(await screen.findByText("No templates yet")).toBeInTheDocument();
  });

  it("creates a template from a copy of another and opens it", async () => {
    const { fetchMock } = renderList({
      "GET /api/v1/templates": LIST,
      "GET /api/v1/templates/cart-reminder": templatePublic("cart-reminder"),
      "POST /api/v1/templates": () => jsonResponse(templatePublic("winter-sale"), 201),
    });

    fireEvent.click(await screen.findByRole("button", { name: "New template" }));
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "winter-sale" } });
    fireEvent.change(screen.getByLabelText("Start from"), { target: { value: "cart-reminder" } });
    fireEvent.click(screen.getByRole("button", { name: "Create template" }));

    expect(await screen.findByText("Opened the editor")).toBeInTheDocument();
    const [created] = callsTo(fetchMock, "POST /api/v1/templates");
    expect(await created?.json()).toMatchObject({
      name: "winter-sale",
      description: "A copy of cart-reminder",
      subject: "Your cart is waiting",
      text: "Hi {{ customer.first_name }}",
    });
  });

  it("starts from the blank starter and shows why a name is refused", async () => {
    const { fetchMock } = renderList({
      "GET /api/v1/templates": LIST,
      "POST /api/v1/templates": () =>
        jsonResponse({ code: "conflict", message: "a template named 'cart-reminder' exists; names are never reused" }, 409),
    });

    fireEvent.click(await screen.findByRole("button", { name: "New template" }));
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "cart-reminder" } });
    fireEvent.click(screen.getByRole("button", { name: "Create template" }));

    expect(await screen.findByRole("alert")).toHaveTextContent("names are never reused");
    const [created] = callsTo(fetchMock, "POST /api/v1/templates");
    const body = (await created?.json()) as { mjml: string };
    expect(body.mjml).toContain("<mj-button href=\"{{ cart.url }}\">");
  });

  it("tells a role without templates so, without asking the API", async () => {
    const { fetchMock } = renderList({}, "support");

    expect(screen.getByRole("alert")).toHaveTextContent("Your role cannot edit templates");
    await waitFor(() => expect(fetchMock).not.toHaveBeenCalled());
  });
});
