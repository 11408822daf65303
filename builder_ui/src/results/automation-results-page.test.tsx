import { screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "../api/client";
import { FlowEditorPage } from "../flow-editor/flow-editor-page";
import { automationResults } from "../test/analytics-fixtures";
import { routedFetch } from "../test/fixtures";
import { stubReactFlowDom } from "../test/flow-editor-helpers";
import { renderInRouter } from "../test/render-in-router";
import { catalog, everyStepTypeOverview } from "../test/sample-definitions";
import { testSession } from "../test/session";
import { seriousA11yViolations } from "../test/step-form-helpers";
import type { AutomationResults } from "./analytics";
import { AutomationResultsPage, statsByStep } from "./automation-results-page";

const STEPS: AutomationResults["steps"] = [
  { step_id: "email-1", variant: null, sent: 90, delivered: 88, opened: 40, clicked: 12, recovered: 7 },
  { step_id: "email-2a", variant: "urgency", sent: 30, delivered: 29, opened: 10, clicked: 4, recovered: 2 },
  { step_id: "email-2b", variant: "friendly", sent: 31, delivered: 30, opened: 14, clicked: 6, recovered: 4 },
];

function renderResults({ answer = automationResults({ steps: STEPS }), role = "marketer" as Role, at = "/automations/aut_1/results" } = {}) {
  const fetchMock = vi.fn(
    routedFetch({
      "GET /api/v1/automations/aut_1": everyStepTypeOverview,
      "GET /api/v1/catalog": catalog,
      "GET /api/v1/analytics/automations/aut_1": answer,
    }),
  );
  vi.stubGlobal("fetch", fetchMock);
  const view = renderInRouter(
    [
      { path: "/automations/:automationId", element: <FlowEditorPage /> },
      { path: "/automations/:automationId/results", element: <AutomationResultsPage /> },
    ],
    { at, session: testSession(role) },
  );
  return { ...view, fetchMock };
}

const loaded = () => screen.findByRole("heading", { name: "Steps" });

describe("AutomationResultsPage", () => {
  beforeEach(stubReactFlowDom);

  it("shows each step's funnel: sent, delivered, opened, clicked, recovered, with its variant", async () => {
    renderResults();
    await loaded();

    const table = screen.getByRole("table", { name: "Each step's emails and recoveries" });
    const rows = within(table).getAllByRole("row").slice(1).map((row) => [...row.children].map((cell) => cell.textContent));
    expect(rows).toEqual([
      ["email-1 Send email · cart-reminder", "—", "90", "88", "40", "12", "7"],
      ["email-2a Send email · cart-discount", "urgency", "30", "29", "10", "4", "2"],
      ["email-2b Send email · cart-discount", "friendly", "31", "30", "14", "6", "4"],
    ]);
  });

  it("puts sent, clicked and recovered badges on the canvas's step nodes, named with the node", async () => {
    renderResults();
    await loaded();

    const node = await screen.findByRole("button", { name: "Step email-1: Send email · cart-reminder; 90 sent, 12 clicked, 7 recovered" });
    const badges = node.querySelector(".flow-node__stats");
    expect(badges).toHaveTextContent("90 sent 12 clicked 7 recovered");
    expect(badges).toHaveAttribute("aria-hidden", "true");
    // The badges come after the title, never in its place.
    expect(node.querySelector(".flow-node__title")).toHaveTextContent("Send email · cart-reminder");
    // A step that sent nothing has no badges.
    expect(screen.getByRole("button", { name: "Step wait-1: Wait 1h" }).querySelector(".flow-node__stats")).toBeNull();
  });

  it("shows the A/B split's rates, each variant's probability of being best, and its verdict", async () => {
    renderResults();
    await loaded();

    const panel = screen.getByRole("region", { name: "A/B split split" });
    expect(within(panel).getByText("Not enough data yet: each variant needs at least 100 carts.")).toHaveClass("verdict--waiting");
    expect(within(panel).getByRole("row", { name: /^b/ })).toHaveTextContent("b31316412.9 %73 %");
    expect(within(panel).queryByText("best")).not.toBeInTheDocument();
  });

  it("names the A/B winner when the API declares one", async () => {
    const answer = automationResults({ steps: STEPS });
    const [test] = answer.ab_tests;
    if (!test) throw new Error("fixture has an A/B test");
    answer.ab_tests = [{ ...test, winner: "b", verdict: "b recovers more carts than a (97 % likely)." }];
    renderResults({ answer });
    await loaded();

    const panel = screen.getByRole("region", { name: "A/B split split" });
    expect(within(panel).getByText("b recovers more carts than a (97 % likely).")).not.toHaveClass("verdict--waiting");
    expect(within(panel).getByRole("row", { name: /^b/ })).toHaveTextContent("best");
  });

  it("shows the holdout: both arms' rates, the lift with its 95 % interval, the verdict", async () => {
    renderResults();
    await loaded();

    const panel = screen.getByRole("region", { name: "Holdout: what the automation adds" });
    expect(within(panel).getByRole("row", { name: /Treated/ })).toHaveTextContent("90018020.0 %");
    expect(within(panel).getByRole("row", { name: /Held out \(10 %/ })).toHaveTextContent("1001212.0 %");
    expect(panel).toHaveTextContent("Lift: +8.0 points (95 % interval +0.9 to +14.2 points)");
    expect(panel).toHaveTextContent("The automation recovers about 8 more carts in every 100.");
  });

  it("says 'not enough data yet' for a holdout below the minimum, with no lift", async () => {
    const answer = automationResults({ steps: STEPS });
    answer.holdout = {
      percent: 10,
      treated: { carts: 20, recovered: 2, rate: 10 },
      held_out: { carts: 2, recovered: 0, rate: 0 },
      lift: null,
      interval: null,
      enough_data: false,
      verdict: "Not enough data yet",
    };
    renderResults({ answer });
    await loaded();

    const panel = screen.getByRole("region", { name: "Holdout: what the automation adds" });
    expect(within(panel).getAllByText(/Not enough data yet/)).toHaveLength(1);
    expect(panel).toHaveTextContent("Lift: —");
  });

  it("shows each version's figures and the totals' currencies apart", async () => {
    renderResults();
    await loaded();

    const versions = screen.getByRole("table", { name: "Each published version's journeys" });
    expect(within(versions).getByRole("row", { name: /Version 2/ })).toHaveTextContent("Version 2501201326.0 %");
    const revenue = screen.getByRole("list", { name: "Recovered revenue by currency" });
    expect(within(revenue).getAllByRole("listitem").map((item) => item.textContent)).toEqual(["€1,280.50", "$312.00"]);
  });

  it("is a tab beside the editor, for roles that read results", async () => {
    renderResults({ at: "/automations/aut_1" });

    const tabs = await screen.findByRole("navigation", { name: "Automation views" });
    expect(within(tabs).getByRole("link", { name: "Editor" })).toHaveAttribute("aria-current", "page");
    within(tabs).getByRole("link", { name: "Results" }).click();
    expect(await loaded()).toBeInTheDocument();
    expect(within(screen.getByRole("navigation", { name: "Automation views" })).getByRole("link", { name: "Results" })).toHaveAttribute("aria-current", "page");
  });

  it("offers no Results tab to support", async () => {
    renderResults({ at: "/automations/aut_1", role: "support" });

    await screen.findByRole("heading", { name: everyStepTypeOverview.name });
    expect(screen.queryByRole("navigation", { name: "Automation views" })).not.toBeInTheDocument();
  });

  it("asks for the period in the URL, and has no serious accessibility problems", async () => {
    const { fetchMock, container } = renderResults({ at: "/automations/aut_1/results?days=90" });
    await loaded();

    const asked = fetchMock.mock.calls.map(([input]) => new URL((input as Request).url)).filter((url) => url.pathname.includes("analytics"));
    expect(asked).toHaveLength(1);
    const [from, to] = [asked[0]?.searchParams.get("from"), asked[0]?.searchParams.get("to")].map((date) => Date.parse(date ?? ""));
    expect(((to ?? 0) - (from ?? 0)) / 86_400_000).toBe(89);
    expect(await seriousA11yViolations(container)).toEqual([]);
  });
});

describe("statsByStep", () => {
  it("adds a step's rows up (one per variant)", () => {
    const stats = statsByStep([
      { step_id: "s", variant: "a", sent: 1, delivered: 1, opened: 1, clicked: 1, recovered: 0 },
      { step_id: "s", variant: "b", sent: 2, delivered: 2, opened: 1, clicked: 0, recovered: 1 },
    ]);
    expect(stats.get("s")).toEqual({ sent: 3, clicked: 1, recovered: 1 });
  });
});
