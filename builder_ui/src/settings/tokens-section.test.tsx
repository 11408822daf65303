import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import { jsonResponse } from "../test/fixtures";
import { renderSettings } from "../test/render-settings";
import { TokensSection } from "./tokens-section";

type Token = Schemas["TokenPublic"];

const ADMIN: Token = {
  id: "tok_admin",
  name: "configured admin",
  role: "admin",
  created_at: "2025-01-01T10:00:00Z",
  revoked_at: null,
};
const OLD: Token = {
  id: "tok_old",
  name: "old shop events",
  role: "ingest",
  created_at: "2024-06-01T10:00:00Z",
  revoked_at: "2024-12-01T10:00:00Z",
};
const SECRET = "bmr_0123456789abcdef0123456789abcdef0123456789";

afterEach(() => vi.unstubAllGlobals());

describe("API tokens", () => {
  it("lists tokens with their role, creation and whether they are revoked", async () => {
    renderSettings(<TokensSection />, { "GET /api/v1/tokens": [ADMIN, OLD] });

    const table = await screen.findByRole("table", { name: "API tokens" });
    const admin = within(table).getByRole("row", { name: /configured admin/ });
    expect(within(admin).getByText("admin")).toBeInTheDocument();
    expect(within(admin).getByText("Active")).toBeInTheDocument();
    const old = within(table).getByRole("row", { name: /old shop events/ });
    expect(within(old).getByText(/^Revoked/)).toBeInTheDocument();
    expect(within(old).queryByRole("button", { name: /Revoke/ })).not.toBeInTheDocument();
  });

  it("shows a new token's secret once, read-only, with a warning", async () => {
    let tokens: Token[] = [ADMIN];
    const created = { id: "tok_new", name: "shop events", role: "ingest", created_at: "2025-02-01T10:00:00Z", revoked_at: null } as const;
    const { sent } = renderSettings(<TokensSection />, {
      "GET /api/v1/tokens": () => jsonResponse(tokens),
      "POST /api/v1/tokens": () => {
        tokens = [created, ...tokens];
        return jsonResponse({ ...created, token: SECRET }, 201);
      },
    });
    await screen.findByRole("table", { name: "API tokens" });

    fireEvent.change(screen.getByLabelText("Token name"), { target: { value: "  shop events " } });
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "ingest" } });
    fireEvent.click(screen.getByRole("button", { name: "Create token" }));

    const value = await screen.findByLabelText("Token value");
    expect(value).toHaveValue(SECRET);
    expect(value).toHaveAttribute("readonly");
    expect(screen.getByRole("alert")).toHaveTextContent(/shown only this once/);
    expect(sent.find((r) => r.method === "POST")?.body).toEqual({ name: "shop events", role: "ingest" });
    await screen.findByRole("row", { name: /shop events/ });

    fireEvent.click(screen.getByRole("button", { name: "Done" }));

    expect(screen.queryByLabelText("Token value")).not.toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(SECRET);
    expect(screen.getByLabelText("Token name")).toHaveValue("");
  });

  it("copies the secret to the clipboard", async () => {
    const writeText = vi.fn(() => Promise.resolve());
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    renderSettings(<TokensSection />, {
      "GET /api/v1/tokens": [],
      "POST /api/v1/tokens": () => jsonResponse({ ...ADMIN, id: "tok_x", name: "x", token: SECRET }, 201),
    });
    await screen.findByText("No tokens yet");
    fireEvent.change(screen.getByLabelText("Token name"), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: "Create token" }));
    fireEvent.click(await screen.findByRole("button", { name: "Copy" }));

    await screen.findByText("Copied to the clipboard.");
    expect(writeText).toHaveBeenCalledWith(SECRET);
  });

  it("revokes a token after confirmation", async () => {
    let tokens: Token[] = [ADMIN, { ...OLD, revoked_at: null }];
    const { sent } = renderSettings(<TokensSection />, {
      "GET /api/v1/tokens": () => jsonResponse(tokens),
      "DELETE /api/v1/tokens/tok_old": () => {
        tokens = [ADMIN, OLD];
        return jsonResponse(OLD);
      },
    });

    fireEvent.click(await screen.findByRole("button", { name: "Revoke old shop events" }));
    const dialog = screen.getByRole("dialog", { name: "Revoke “old shop events”?" });
    expect(sent.some((r) => r.method === "DELETE")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(sent.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual(["/api/v1/tokens/tok_old"]);
    const row = await screen.findByRole("row", { name: /old shop events/ });
    await within(row).findByText(/^Revoked/);
  });

  it("explains why the last admin token cannot be revoked", async () => {
    renderSettings(<TokensSection />, {
      "GET /api/v1/tokens": [ADMIN],
      "DELETE /api/v1/tokens/tok_admin": () =>
        jsonResponse(
          { code: "last_admin_token", message: "the last admin token cannot be revoked: create another admin token first" },
          409,
        ),
    });

    fireEvent.click(await screen.findByRole("button", { name: "Revoke configured admin" }));
    const dialog = screen.getByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Revoke token" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(/create another admin token first/);
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("offers developers ingest tokens only", async () => {
    renderSettings(<TokensSection />, { "GET /api/v1/tokens": [] }, "developer");

    await screen.findByText("No tokens yet");
    const role = screen.getByLabelText("Role");
    expect(within(role).getAllByRole("option").map((o) => o.textContent)).toEqual(["ingest"]);
  });

  it("shows an error with a retry when the list fails", async () => {
    renderSettings(<TokensSection />, {
      "GET /api/v1/tokens": () => jsonResponse({ code: "unavailable", message: "database down" }, 503),
    });

    expect(await screen.findByRole("alert")).toHaveTextContent("database down");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});
