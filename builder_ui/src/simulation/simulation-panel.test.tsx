import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Role } from "../api/client";
import { FlowEditorPage } from "../flow-editor/flow-editor-page";
import { jsonResponse } from "../test/fixtures";
import { renderEditorPage, stubReactFlowDom } from "../test/flow-editor-helpers";
import { catalog, everyStepTypeOverview } from "../test/sample-definitions";
import { cartTimeline, simulatedStatus } from "../test/simulation-fixtures";
import { seriousA11yViolations } from "../test/step-form-helpers";

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Route = (call: Call) => Response;

// React Flow re-renders its nodes a moment after the editor: wait longer than 1 s on a busy host.
const SLOW = { timeout: 5_000 };

/** A fetch stub answering by "METHOD /path"; it records every call with its query and JSON body. */
function stubApi(routes: Record<string, Route>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      const url = new URL(request.url);
      const text = await request.text();
      const call = { method: request.method, path: url.pathname, query: url.searchParams, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
      calls.push(call);
      const answer = routes[`${request.method} ${url.pathname}`];
      return answer ? answer(call) : jsonResponse({ code: "not_found", message: `no stub for ${url.pathname}` }, 404);
    }),
  );
  return calls;
}

function routes(overrides: Record<string, Route> = {}): Record<string, Route> {
  return {
    "GET /api/v1/automations/aut_1": () => jsonResponse(everyStepTypeOverview),
    "GET /api/v1/catalog": () => jsonResponse(catalog),
    "POST /api/v1/automations/aut_1/validate": () => jsonResponse({ valid: true, problems: [], diff: null }),
    "POST /api/v1/automations/aut_1/simulate": () => jsonResponse(simulatedStatus()),
    "GET /api/v1/simulations/sim_1/carts": ({ query }) =>
      jsonResponse(
        query.get("cursor") === "page-2"
          ? { items: [cartTimeline({ cart_id: "cart-older", late_sends: 0, events: [], compared: null })], next_cursor: null }
          : { items: [cartTimeline()], next_cursor: "page-2" },
      ),
    ...overrides,
  };
}

async function openPanel(role: Role = "marketer") {
  renderEditorPage(<FlowEditorPage />, { role });
  fireEvent.click(await screen.findByRole("button", { name: "Try on past carts" }));
  return screen.getByRole("region", { name: "Try on past carts" });
}

async function runIt(panel: HTMLElement, { compare = true } = {}) {
  if (compare) fireEvent.click(within(panel).getByRole("checkbox", { name: "Compare with live (version 1)" }));
  fireEvent.click(within(panel).getByRole("button", { name: "Run simulation" }));
  return within(panel).findByRole("region", { name: "Results" });
}

// Each test renders the whole editor (React Flow included): give a loaded host time.
describe("Try on past carts", { timeout: 30_000 }, () => {
  beforeEach(stubReactFlowDom);

  it("runs the draft on the last 1,000 carts, compared with live, and shows the totals", async () => {
    const calls = stubApi(routes());
    const panel = await openPanel();
    expect(screen.getByRole("button", { name: "Try on past carts" })).toHaveAttribute("aria-pressed", "true");
    expect(within(panel).getByLabelText("Carts")).toHaveValue(1000);
    expect(within(panel).getByLabelText("What to try")).toHaveDisplayValue("The draft, as the editor shows it");

    const results = await runIt(panel);
    // Nothing unsaved: the API takes the saved draft (or the live version) itself.
    expect(calls.find((call) => call.path.endsWith("/simulate"))?.body).toEqual({ carts: { last: 1000 }, compare_to: "live" });
    expect(results).toHaveTextContent("Tried the draft on 5 carts, compared with version 1.");

    const figure = (name: string) => within(results).getByText(name, { selector: "dt" }).nextElementSibling?.textContent;
    expect(figure("Carts entering")).toBe("3 of 5");
    expect(figure("Not entering")).toBe("1 filtered1 no consent");
    expect(figure("Emails")).toBe("5");
    expect(figure("Discount codes")).toBe("1worth €8.00, $28.08");
    expect(figure("Outcomes")).toBe("2 lost1 purchased");
    expect(figure("Held out")).toBe("0");

    const warning = within(results).getByRole("alert");
    expect(warning).toHaveTextContent("1 email would reach customers after they bought or unsubscribed.");
    expect(within(warning).getByRole("list", { name: "Emails that would arrive too late" })).toHaveTextContent(/Cart cart-bought: step email-2a at .*, after the customer bought at/);
    expect(within(results).getByRole("list", { name: "Failed actions" })).toHaveTextContent("Step email-2a, cart cart-broken: 'coupon' is undefined");
    const difference = within(results).getByRole("region", { name: "Compared with version 1 (live)" });
    expect(within(difference).getAllByRole("listitem").map((item) => item.textContent)).toEqual(["+1 email at step email-2a", "2 fewer codes", "-1 purchased"]);
  });

  it("puts each step's figures on the canvas while the panel is open", async () => {
    stubApi(routes());
    const panel = await openPanel();
    await runIt(panel);

    const node = await screen.findByRole("button", { name: "Step email-2a: Send email · cart-discount; 2 emails, 1 failed, +1 email vs live" }, SLOW);
    expect(node.querySelector(".flow-node__stats")).toHaveTextContent("2 emails 1 failed +1 email vs live");
    expect(screen.getByRole("button", { name: "Step wait-1: Wait 1h; 1 stopped here" })).toBeInTheDocument();

    // Closed, the canvas is the editor's again; reopened, the run is still there.
    fireEvent.click(screen.getByRole("button", { name: "Try on past carts" }));
    expect(await screen.findByRole("button", { name: "Step email-2a: Send email · cart-discount" }, SLOW)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Try on past carts" }));
    expect(await screen.findByRole("button", { name: /^Step email-2a: .*; 2 emails/ }, SLOW)).toBeInTheDocument();
  });

  it("asks for a published version and the number of carts chosen", async () => {
    const calls = stubApi(routes());
    const panel = await openPanel();
    fireEvent.change(within(panel).getByLabelText("What to try"), { target: { value: "1" } });
    fireEvent.change(within(panel).getByLabelText("Carts"), { target: { value: "5000" } });
    await runIt(panel, { compare: false });
    expect(calls.find((call) => call.path.endsWith("/simulate"))?.body).toEqual({ carts: { last: 5000 }, version: 1 });
  });

  it("refuses a number of carts outside 1 to 100,000", async () => {
    stubApi(routes());
    const panel = await openPanel();
    const carts = within(panel).getByLabelText("Carts");
    fireEvent.change(carts, { target: { value: "100001" } });
    expect(carts).toHaveAttribute("aria-invalid", "true");
    expect(within(panel).getByRole("button", { name: "Run simulation" })).toBeDisabled();
  });

  it("follows a background run's progress until it is done", async () => {
    let polls = 0;
    stubApi(
      routes({
        "POST /api/v1/automations/aut_1/simulate": () => jsonResponse(simulatedStatus({ status: "running", carts: 5000, done: 0, totals: null, difference: null }), 202),
        "GET /api/v1/simulations/sim_1": () => {
          polls += 1;
          return jsonResponse(polls === 1 ? simulatedStatus({ status: "running", carts: 5000, done: 2000, totals: null, difference: null }) : simulatedStatus({ carts: 5000, done: 5000 }));
        },
      }),
    );
    const panel = await openPanel();
    fireEvent.click(within(panel).getByRole("button", { name: "Run simulation" }));
    expect(await within(panel).findByText("Simulating… 0 of 5,000 carts")).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Simulating…" })).toBeDisabled();
    expect(await within(panel).findByText("Simulating… 2,000 of 5,000 carts", {}, SLOW)).toBeInTheDocument();
    expect(within(panel).getByRole("progressbar", { name: "Carts simulated" })).toHaveAttribute("value", "2000");
    expect(await within(panel).findByRole("region", { name: "Results" }, SLOW)).toHaveTextContent("on 5,000 carts");
  });

  it("says why a background run failed", async () => {
    stubApi(
      routes({
        "POST /api/v1/automations/aut_1/simulate": () => jsonResponse(simulatedStatus({ status: "running", done: 0, totals: null }), 202),
        "GET /api/v1/simulations/sim_1": () => jsonResponse(simulatedStatus({ status: "failed", totals: null, error: "the worker gave up" })),
      }),
    );
    const panel = await openPanel();
    fireEvent.click(within(panel).getByRole("button", { name: "Run simulation" }));
    expect(await within(panel).findByRole("alert", {}, SLOW)).toHaveTextContent("The simulation could not run: the worker gave up");
  });

  it("shows a refused definition's problems, with their steps", async () => {
    stubApi(
      routes({
        "POST /api/v1/automations/aut_1/simulate": () =>
          jsonResponse(
            { code: "invalid_definition", message: "the definition has 1 problem", problems: [{ field: "params.template", message: "no template 'gone'", step_id: "email-1" }] },
            422,
          ),
      }),
    );
    const panel = await openPanel();
    fireEvent.click(within(panel).getByRole("button", { name: "Run simulation" }));
    const alert = await within(panel).findByRole("alert");
    expect(alert).toHaveTextContent("The simulation could not run: the definition has 1 problem");
    expect(alert).toHaveTextContent("Step email-1: no template 'gone'");
  });

  it("lists each cart's timeline, a page at a time, and only the flagged ones on demand", async () => {
    const calls = stubApi(routes());
    const panel = await openPanel();
    const results = await runIt(panel);

    const carts = await within(results).findByRole("list", { name: "Simulated carts" });
    const toggle = within(carts).getByRole("button", { name: /^cart-bought completed, 2 emails, 1 late send$/ });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    fireEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    const timeline = within(carts).getByRole("list", { name: "What would happen to cart cart-bought" });
    const lines = within(timeline).getAllByRole("listitem").map((item) => item.textContent?.replace(/^.*?(?=Customer:|wait-1|email-|subject-|End)/, ""));
    expect(lines).toEqual([
      "wait-1 Waited until the set time",
      "email-1 Action sent",
      "Customer: order placed",
      "subject-test Chose variant urgency",
      "email-2a Action sent",
      "End Ended: completed",
    ]);
    expect(carts).toHaveTextContent("It ends: completed");
    expect(carts).toHaveTextContent("With the live version: purchased, 1 email, 0 codes.");

    fireEvent.click(within(results).getByRole("button", { name: "Show more carts" }));
    expect(await within(carts).findByRole("button", { name: /^cart-older/ })).toBeInTheDocument();
    expect(within(results).queryByRole("button", { name: "Show more carts" })).not.toBeInTheDocument();

    fireEvent.click(within(results).getByRole("checkbox", { name: "Only flagged carts (a late send or a failure)" }));
    await waitFor(() => expect(calls.filter((call) => call.path.endsWith("/carts")).at(-1)?.query.get("flagged")).toBe("true"));
    expect(calls.filter((call) => call.path.endsWith("/carts")).at(-1)?.query.get("cursor")).toBeNull();
  });

  it("is offered to roles that may simulate only", async () => {
    stubApi(routes());
    renderEditorPage(<FlowEditorPage />, { role: "support" });
    await screen.findByRole("button", { name: "Version history" });
    expect(screen.queryByRole("button", { name: "Try on past carts" })).not.toBeInTheDocument();
  });

  it("has no serious accessibility problems", async () => {
    stubApi(routes());
    const panel = await openPanel();
    const results = await runIt(panel);
    fireEvent.click(await within(results).findByRole("button", { name: /^cart-bought/ }));
    expect(await seriousA11yViolations(panel)).toEqual([]);
  });
});
