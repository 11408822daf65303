import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { TOKEN_STORAGE_KEY } from "../auth/token-storage";
import { jsonResponse, singleReminder } from "../test/fixtures";
import { App } from "./app";

function signInWith(token: string) {
  const input = screen.getByLabelText("API token");
  fireEvent.change(input, { target: { value: token } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("App", () => {
  it("asks for an API token in a password field when nobody is signed in", () => {
    vi.stubGlobal("fetch", vi.fn<typeof fetch>());
    render(<App />);

    const input = screen.getByLabelText("API token");
    expect(input).toHaveAttribute("type", "password");
    expect(screen.queryByRole("heading", { name: "Automations" })).not.toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("stores the pasted token and lists automations with it", async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse([singleReminder])));
    vi.stubGlobal("fetch", fetchMock);
    render(<App />);

    signInWith("  tok_pasted_456  ");

    expect(await screen.findByRole("heading", { name: "Automations" })).toBeInTheDocument();
    expect(await screen.findByText("Abandoned cart — single reminder")).toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBe("tok_pasted_456");
    const init = fetchMock.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer tok_pasted_456");
  });

  it("uses a token already in localStorage", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_stored_789");
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse([])));
    vi.stubGlobal("fetch", fetchMock);
    render(<App />);

    expect(await screen.findByText("No automations yet.")).toBeInTheDocument();
    const init = fetchMock.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer tok_stored_789");
  });

  it("signs out: clears the token and shows the sign-in form", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_stored_789");
    vi.stubGlobal("fetch", vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse([]))));
    render(<App />);

    await screen.findByText("No automations yet.");
    fireEvent.click(screen.getByRole("button", { name: "Sign out" }));

    expect(screen.getByLabelText("API token")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it("returns to the sign-in form with a message when the API answers 401", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_revoked");
    vi.stubGlobal(
      "fetch",
      vi.fn<typeof fetch>(() => Promise.resolve(jsonResponse({ detail: "Invalid token" }, 401))),
    );
    render(<App />);

    expect(await screen.findByRole("alert")).toHaveTextContent("That token was not accepted.");
    expect(screen.getByLabelText("API token")).toHaveValue("");
    expect(screen.queryByRole("heading", { name: "Automations" })).not.toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it("clears the 401 message once a new token is accepted", async () => {
    const fetchMock = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(jsonResponse({ detail: "Invalid token" }, 401))
      .mockResolvedValueOnce(jsonResponse([singleReminder]));
    vi.stubGlobal("fetch", fetchMock);
    render(<App />);

    signInWith("tok_wrong");
    await screen.findByText("That token was not accepted.");

    signInWith("tok_right");
    expect(await screen.findByText("Abandoned cart — single reminder")).toBeInTheDocument();
    expect(screen.queryByText("That token was not accepted.")).not.toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBe("tok_right");
  });
});
