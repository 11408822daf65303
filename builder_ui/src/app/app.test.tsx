import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { TOKEN_STORAGE_KEY } from "../auth/token-storage";
import { translate } from "../i18n/i18n";
import { overview } from "../test/analytics-fixtures";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { App, INGEST_REFUSED_MESSAGE, TOKEN_REJECTED_MESSAGE } from "./app";

function signInWith(token: string) {
  fireEvent.change(screen.getByLabelText("API token"), { target: { value: token } });
  fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

function me(role: string) {
  return { token_id: "tok_1", name: `${role} desk`, role };
}

describe("App", () => {
  it("asks for an API token in a password field when nobody is signed in", () => {
    vi.stubGlobal("fetch", vi.fn<typeof fetch>());
    render(<App />);

    expect(screen.getByLabelText("API token")).toHaveAttribute("type", "password");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("stores the pasted token, asks who it is, and opens the dashboard", async () => {
    const fetchMock = vi.fn(routedFetch({ "GET /api/v1/me": me("marketer"), "GET /api/v1/analytics/overview": overview() }));
    vi.stubGlobal("fetch", fetchMock);
    render(<App />);

    signInWith("  tok_pasted_456  ");

    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(window.location.hash).toBe("#/dashboard");
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBe("tok_pasted_456");
    const first = fetchMock.mock.calls[0]?.[0] as Request;
    expect(first.headers.get("Authorization")).toBe("Bearer tok_pasted_456");
  });

  it("lands support on the automations, as before the dashboard: results are not theirs", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_support");
    window.location.hash = "#/";
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("support"), "GET /api/v1/automations": [] })));
    render(<App />);

    expect(await screen.findByRole("heading", { name: "Automations" })).toBeInTheDocument();
    expect(screen.getByRole("navigation", { name: "Main" })).not.toHaveTextContent("Dashboard");
  });

  it("shows a marketer the builder's sections, and support only theirs", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_support");
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("support"), "GET /api/v1/automations": [] })));
    render(<App />);

    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(nav).toHaveTextContent("Automations");
    expect(nav).toHaveTextContent("Journeys");
    expect(nav).toHaveTextContent("Carts");
    expect(within(nav).getByRole("link", { name: "Customers" })).toHaveAttribute("href", "#/customers");
    expect(nav).not.toHaveTextContent("Templates");
    expect(nav).not.toHaveTextContent("Presets");
  });

  it("keeps the Customers page from marketers", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_marketer");
    window.location.hash = "#/automations";
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("marketer"), "GET /api/v1/automations": [] })));
    render(<App />);

    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(nav).not.toHaveTextContent("Customers");
  });

  it("moves between sections with the main navigation, in hash URLs", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_marketer");
    const routes = { "GET /api/v1/me": me("marketer"), "GET /api/v1/automations": [], "GET /api/v1/templates": [] };
    vi.stubGlobal("fetch", vi.fn(routedFetch(routes)));
    render(<App />);
    const nav = await screen.findByRole("navigation", { name: "Main" });

    fireEvent.click(within(nav).getByRole("link", { name: "Templates" }));
    expect(await screen.findByRole("heading", { name: "Templates" })).toBeInTheDocument();
    expect(window.location.hash).toBe("#/templates");

    fireEvent.click(within(nav).getByRole("link", { name: "Automations" }));
    expect(await screen.findByRole("heading", { name: "Automations" })).toBeInTheDocument();
    expect(window.location.hash).toBe("#/automations");
  });

  it("refuses an ingest token with a message", async () => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("ingest") })));
    render(<App />);

    signInWith("tok_ingest");

    expect(await screen.findByRole("alert")).toHaveTextContent(translate("en", INGEST_REFUSED_MESSAGE));
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it("signs out: clears the token and shows the sign-in form", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_stored_789");
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("admin"), "GET /api/v1/automations": [] })));
    render(<App />);

    fireEvent.click(await screen.findByRole("button", { name: "Sign out" }));

    expect(screen.getByLabelText("API token")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it("returns to the sign-in form with a message when the API answers 401", async () => {
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_revoked");
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(jsonResponse({ code: "invalid_token", message: "unknown" }, 401))),
    );
    render(<App />);

    expect(await screen.findByRole("alert")).toHaveTextContent(translate("en", TOKEN_REJECTED_MESSAGE));
    expect(window.localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it("speaks Korean when Korean was picked: the navigation, the header, the sign-in page's message", async () => {
    window.localStorage.setItem("boomerang.language", "ko");
    window.localStorage.setItem(TOKEN_STORAGE_KEY, "tok_marketer");
    window.location.hash = "#/automations";
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("marketer"), "GET /api/v1/automations": [] })));
    render(<App />);

    const nav = await screen.findByRole("navigation", { name: "주 메뉴" });
    for (const label of ["대시보드", "자동화", "프리셋", "템플릿", "장바구니"]) {
      expect(within(nav).getByRole("link", { name: label })).toBeInTheDocument();
    }
    expect(nav).not.toHaveTextContent(/Dashboard|Automations|Presets|Templates|Carts/);
    expect(screen.getByText("마케터")).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("ko");

    fireEvent.click(screen.getByRole("button", { name: "로그아웃" }));
    expect(screen.getByRole("heading", { name: "Boomerang에 로그인" })).toBeInTheDocument();
  });

  it("says in Korean why the token was refused", async () => {
    window.localStorage.setItem("boomerang.language", "ko");
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/me": me("ingest") })));
    render(<App />);

    fireEvent.change(screen.getByLabelText("API 토큰"), { target: { value: "tok_ingest" } });
    fireEvent.click(screen.getByRole("button", { name: "로그인" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(translate("ko", INGEST_REFUSED_MESSAGE));
    expect(screen.getByRole("alert")).toHaveTextContent("이벤트 수집용 토큰입니다.");
  });
});
