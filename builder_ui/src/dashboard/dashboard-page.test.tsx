import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { LanguageProvider } from "../i18n/i18n";
import { overview } from "../test/analytics-fixtures";
import { routedFetch } from "../test/fixtures";
import { renderInRouter } from "../test/render-in-router";
import { testSession } from "../test/session";
import { seriousA11yViolations } from "../test/step-form-helpers";
import { DashboardPage } from "./dashboard-page";

function renderDashboard(at = "/dashboard", answer = overview()) {
  const fetchMock = vi.fn(routedFetch({ "GET /api/v1/analytics/overview": answer }));
  vi.stubGlobal("fetch", fetchMock);
  const view = renderInRouter([{ path: "/dashboard", element: <DashboardPage /> }], { at, session: testSession("marketer") });
  const asked = () => fetchMock.mock.calls.map(([input]) => new URL((input as Request).url).search);
  return { ...view, asked };
}

const figure = (name: string) => screen.getByText(name, { selector: "dt" }).closest("div") as HTMLElement;

describe("DashboardPage", () => {
  it("shows the recovered revenue one currency at a time, never summed", async () => {
    renderDashboard();

    const revenue = await screen.findByRole("list", { name: "Recovered revenue by currency" });
    expect(within(revenue).getAllByRole("listitem").map((item) => item.textContent)).toEqual(["€1,280.50", "$312.00"]);
    expect(screen.queryByText(/1,592/)).not.toBeInTheDocument();
  });

  it("shows the recovery and abandonment rates and the median time to recovery", async () => {
    renderDashboard();
    await screen.findByRole("heading", { name: "Email funnel" });

    expect(figure("Recovery rate")).toHaveTextContent("15.0 %18 of 120 abandoned carts recovered");
    expect(figure("Abandonment rate")).toHaveTextContent("68.2 %");
    expect(figure("Median time to recovery")).toHaveTextContent("4h32m");
  });

  it("shows the email funnel in order, with proxy opens apart and explained", async () => {
    renderDashboard();

    const funnel = await screen.findByRole("table", { name: "Emails sent, delivered, opened and clicked" });
    const rows = within(funnel).getAllByRole("row").slice(1).map((row) => row.textContent);
    expect(rows).toEqual(["Sent200", "Delivered19095.0 % of sent", "Opened8042.1 % of delivered", "Clicked2412.6 % of delivered"]);
    expect(screen.getByText(/Proxy opens: 35/).closest("p")).toHaveTextContent(/not counted as opened.*Apple Mail's privacy protection/);
  });

  it("gives the chart a text alternative: each day in a table", async () => {
    renderDashboard();

    expect(await screen.findByRole("img", { name: /Carts abandoned and recovered per day; 11 in all/ })).toBeInTheDocument();
    expect(screen.getByRole("img", { name: /Recovered revenue per day in EUR, USD, one line per currency/ })).toBeInTheDocument();
    const table = screen.getByRole("table", { name: "Over time: each day's figures" });
    expect(within(table).getByRole("row", { name: /2026-12-02/ })).toHaveTextContent("2026-12-0232$40.00622");
  });

  it("asks for the last 30 days by default, and for the period picked, kept in the URL", async () => {
    const { asked, router } = renderDashboard();
    await screen.findByRole("heading", { name: "Email funnel" });
    expect(asked()[0]).toMatch(/^\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);

    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "7" } });
    await waitFor(() => expect(router.state.location.search).toBe("?days=7"));
    await waitFor(() => expect(asked()).toHaveLength(2));
    const [from, to] = [...new URLSearchParams(asked()[1]).values()].map((date) => Date.parse(date));
    expect(((to ?? 0) - (from ?? 0)) / 86_400_000).toBe(6);

    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "between" } });
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-10-01" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-10-31" } });
    fireEvent.click(screen.getByRole("button", { name: "Show" }));
    await waitFor(() => expect(router.state.location.search).toBe("?from=2026-10-01&to=2026-10-31"));
    await waitFor(() => expect(asked().at(-1)).toBe("?from=2026-10-01&to=2026-10-31"));
  });

  it("opens on the period the URL holds", async () => {
    const { asked } = renderDashboard("/dashboard?from=2026-09-01&to=2026-09-30");

    await screen.findByRole("heading", { name: "Email funnel" });
    expect(asked()).toEqual(["?from=2026-09-01&to=2026-09-30"]);
    expect(screen.getByLabelText("Period")).toHaveValue("between");
    expect(screen.getByLabelText("From")).toHaveValue("2026-09-01");
  });

  it("refuses two dates backwards, with a message", async () => {
    const { asked } = renderDashboard();
    await screen.findByRole("heading", { name: "Email funnel" });

    fireEvent.change(screen.getByLabelText("Period"), { target: { value: "between" } });
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-10-31" } });
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "2026-10-01" } });
    fireEvent.submit(screen.getByRole("form", { name: "Results period" }));

    expect(screen.getByRole("alert")).toHaveTextContent("The first date must come before the second.");
    expect(asked()).toHaveLength(1);
  });

  it("says so when nothing was recovered, and has no serious accessibility problems", async () => {
    const { container } = renderDashboard("/dashboard", overview({ revenue: [], recovery_rate: null }));

    await screen.findByRole("heading", { name: "Email funnel" });
    expect(figure("Recovered revenue")).toHaveTextContent("None yet");
    expect(figure("Recovery rate")).toHaveTextContent("—");
    expect(await seriousA11yViolations(container)).toEqual([]);
  });

  it("says what it shows in English, the dates as English writes them", async () => {
    renderDashboard("/dashboard?from=2026-09-01&to=2026-09-30");

    expect(await screen.findByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
    expect(await screen.findByText(/^All automations, /)).toHaveTextContent(
      "All automations, Nov 3, 2026 to Dec 2, 2026 (Sep 1, 2026 to Sep 30, 2026).",
    );
  });

  it("speaks Korean: the heading, the period, the dates", async () => {
    vi.stubGlobal("fetch", vi.fn(routedFetch({ "GET /api/v1/analytics/overview": overview() })));
    renderInRouter(
      [
        {
          path: "/dashboard",
          element: (
            <LanguageProvider initial="ko">
              <DashboardPage />
            </LanguageProvider>
          ),
        },
      ],
      { at: "/dashboard", session: testSession("marketer") },
    );

    expect(await screen.findByRole("heading", { level: 1, name: "대시보드" })).toBeInTheDocument();
    expect(await screen.findByText(/^전체 자동화, /)).toHaveTextContent("전체 자동화, 2026. 11. 3.~2026. 12. 2. (최근 30일).");
    expect(screen.queryByText(/All automations|Dashboard/)).not.toBeInTheDocument();
  });
});
