import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../api/client";
import type { Step } from "../definition/definition";
import type { StepPanelProps } from "../step-forms/step-panel";
import type { TriggerPanelProps } from "../step-forms/trigger-panel";
import { jsonResponse } from "../test/fixtures";
import { FlowEditorPage } from "./flow-editor-page";
import { catalog, everyStepType, everyStepTypeOverview } from "../test/sample-definitions";
import { renderEditorPage, stubReactFlowDom } from "../test/flow-editor-helpers";

// The panels belong to another module: stand-ins that edit through the same callbacks.
vi.mock("../step-forms/step-panel", () => ({
  StepPanel: ({ step, readOnly, problems, onChange }: StepPanelProps) => (
    <div>
      <h2>Panel of {step.id}</h2>
      {problems.map((problem) => (
        <p key={problem.message}>{problem.message}</p>
      ))}
      {readOnly || step.type !== "wait" ? null : (
        <button type="button" onClick={() => onChange({ ...step, duration: "2h" } as Step)}>
          Make it 2h
        </button>
      )}
    </div>
  ),
}));
vi.mock("../step-forms/trigger-panel", () => ({
  TriggerPanel: ({ definition }: TriggerPanelProps) => <h2>Trigger panel for {definition.trigger.event}</h2>,
}));

const automation = everyStepTypeOverview;

const diff: Schemas["DefinitionDiffPublic"] = {
  added: [],
  removed: [],
  changed: [{ step_id: "wait-1", type: "wait", fields: [{ field: "duration", before: "1h", after: "2h" }] }],
  moved: [],
  trigger: [],
  settings: [],
  exit_on: null,
  name: null,
  summary: ["Step 'wait-1' (wait) changed: duration 1h → 2h"],
};

interface Call {
  method: string;
  path: string;
  body: unknown;
}

/** A fetch stub answering by "METHOD /path"; it records every call with its JSON body. */
function stubApi(routes: Record<string, (body: unknown) => Response>) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL) => {
      const request = input as Request;
      const path = new URL(request.url).pathname;
      const text = await request.text();
      const body: unknown = text === "" ? undefined : JSON.parse(text);
      calls.push({ method: request.method, path, body });
      const answer = routes[`${request.method} ${path}`];
      return answer ? answer(body) : jsonResponse({ code: "not_found", message: `no stub for ${path}` }, 404);
    }),
  );
  return calls;
}

const valid = () => jsonResponse({ valid: true, problems: [], diff });

function baseRoutes(overrides: Record<string, (body: unknown) => Response> = {}) {
  return {
    "GET /api/v1/automations/aut_1": () => jsonResponse(automation),
    "GET /api/v1/catalog": () => jsonResponse(catalog),
    "POST /api/v1/automations/aut_1/validate": valid,
    ...overrides,
  };
}

const waitNode = (duration: string) => screen.findByRole("button", { name: new RegExp(`^Step wait-1: Wait ${duration}`) });

describe("FlowEditorPage", () => {
  beforeEach(stubReactFlowDom);

  it("loads the automation and shows its status, version and flow", async () => {
    const calls = stubApi(baseRoutes());
    renderEditorPage(<FlowEditorPage />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading the automation");
    expect(await screen.findByRole("heading", { level: 1, name: everyStepType.name })).toBeInTheDocument();
    expect(screen.getByText("inactive")).toBeInTheDocument();
    expect(screen.getByText("Version 1")).toBeInTheDocument();
    expect(await waitNode("1h")).toBeInTheDocument();
    expect(await screen.findByText("✓ Ready to publish", {}, { timeout: 3000 })).toBeInTheDocument();
    expect(calls.some((call) => call.path === "/api/v1/catalog")).toBe(true);
  });

  it("shows the load error with a retry", async () => {
    stubApi({ "GET /api/v1/catalog": () => jsonResponse(catalog) });
    renderEditorPage(<FlowEditorPage />);
    expect(await screen.findByRole("alert")).toHaveTextContent("no stub for /api/v1/automations/aut_1");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("edits a step through its panel, with undo and redo (buttons and keys)", async () => {
    stubApi(baseRoutes());
    renderEditorPage(<FlowEditorPage />);
    fireEvent.click(await waitNode("1h"));
    expect(screen.getByRole("heading", { name: "Panel of wait-1" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Make it 2h" }));
    expect(await waitNode("2h")).toBeInTheDocument();
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Undo" }));
    expect(await waitNode("1h")).toBeInTheDocument();
    expect(screen.getByText("No draft")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Redo" }));
    expect(await waitNode("2h")).toBeInTheDocument();

    fireEvent.keyDown(window, { key: "z", ctrlKey: true });
    expect(await waitNode("1h")).toBeInTheDocument();
    fireEvent.keyDown(window, { key: "z", ctrlKey: true, shiftKey: true });
    expect(await waitNode("2h")).toBeInTheDocument();
  });

  it("adds a step from a + menu and selects it", async () => {
    stubApi(baseRoutes());
    renderEditorPage(<FlowEditorPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Add a step after wait-1" }));
    fireEvent.click(screen.getByRole("menuitem", { name: "Wait" }));
    expect(await screen.findByRole("button", { name: "Step wait-2: Wait 1h" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Panel of wait-2" })).toBeInTheDocument();
  });

  it("deletes, duplicates and moves the selected step", async () => {
    stubApi(baseRoutes());
    renderEditorPage(<FlowEditorPage />);
    fireEvent.click(await waitNode("1h"));
    expect(screen.getByRole("button", { name: "Move up" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Duplicate step" }));
    expect(await screen.findByRole("button", { name: "Step wait-1-copy: Wait 1h" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Panel of wait-1-copy" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Move up" })).toBeEnabled();
    fireEvent.click(screen.getByRole("button", { name: "Delete step" }));
    await waitFor(() => expect(screen.queryByRole("button", { name: /^Step wait-1-copy/ })).not.toBeInTheDocument());
    expect(screen.getByRole("heading", { name: "Edit the flow" })).toBeInTheDocument();
  });

  it("marks the nodes the API finds problems in and lists the problems", async () => {
    stubApi(
      baseRoutes({
        "POST /api/v1/automations/aut_1/validate": () =>
          jsonResponse({
            valid: false,
            diff: null,
            problems: [
              { field: "params.template", message: "no template 'gone'", step_id: "email-1" },
              { field: "settings.holdout_percent", message: "at most 100", step_id: null },
            ],
          }),
      }),
    );
    renderEditorPage(<FlowEditorPage />);
    const marked = "Step email-1: Send email · cart-reminder 1 problem";
    expect(await screen.findByRole("button", { name: marked }, { timeout: 3000 })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Trigger: cart_abandoned when cart.total ≥ 25 1 problem" })).toBeInTheDocument();
    const list = screen.getByRole("region", { name: "2 problems to fix before publishing" });
    fireEvent.click(within(list).getByRole("button", { name: /no template 'gone'/ }));
    expect(screen.getByRole("heading", { name: "Panel of email-1" })).toBeInTheDocument();
    expect(screen.getByText("no template 'gone'", { selector: "p" })).toBeInTheDocument();
    fireEvent.click(within(list).getByRole("button", { name: /at most 100/ }));
    expect(screen.getByRole("heading", { name: "Trigger panel for cart_abandoned" })).toBeInTheDocument();
  });

  it("publishes: saves the draft, shows the diff, then publishes", async () => {
    let current = automation;
    const calls = stubApi(
      baseRoutes({
        "GET /api/v1/automations/aut_1": () => jsonResponse(current),
        "PUT /api/v1/automations/aut_1/draft": (body) => jsonResponse({ ...automation, draft: (body as { definition: object }).definition }),
        "POST /api/v1/automations/aut_1/publish": () => {
          current = { ...automation, version: 2, definition: { ...everyStepType, steps: [{ id: "wait-1", type: "wait", duration: "2h" }] } };
          return jsonResponse({ version: 2, published_at: "2025-01-02T00:00:00Z", current: true, source_version: null, changes: diff.summary, definition: current.definition, compared_to: 1, diff }, 201);
        },
      }),
    );
    renderEditorPage(<FlowEditorPage />);
    fireEvent.click(await waitNode("1h"));
    fireEvent.click(screen.getByRole("button", { name: "Make it 2h" }));
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));

    const dialog = await screen.findByRole("dialog", { name: "Publish version 2?" });
    expect(within(dialog).getByText("wait-1")).toBeInTheDocument();
    expect(within(dialog).getByText("1h")).toBeInTheDocument();
    expect(within(dialog).getByText("2h")).toBeInTheDocument();
    const draft = calls.find((call) => call.method === "PUT");
    expect((draft?.body as { definition: typeof everyStepType }).definition.steps[0]).toEqual({ id: "wait-1", type: "wait", duration: "2h" });

    fireEvent.click(within(dialog).getByRole("button", { name: "Publish" }));
    expect(await screen.findByText(/Published version 2/)).toBeInTheDocument();
    expect(await screen.findByText("Version 2")).toBeInTheDocument();
    expect(calls.filter((call) => call.method === "POST" && call.path.endsWith("/publish"))).toHaveLength(1);
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("refuses to publish an invalid draft and says why", async () => {
    const calls = stubApi(
      baseRoutes({
        "PUT /api/v1/automations/aut_1/draft": () => jsonResponse({ ...automation, draft: everyStepType }),
        "POST /api/v1/automations/aut_1/validate": () =>
          jsonResponse({ valid: false, diff: null, problems: [{ field: "duration", message: "too short", step_id: "wait-1" }] }),
      }),
    );
    renderEditorPage(<FlowEditorPage />);
    fireEvent.click(await waitNode("1h"));
    fireEvent.click(screen.getByRole("button", { name: "Make it 2h" }));
    fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    expect(await screen.findByText("Fix 1 problem before publishing.")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(calls.some((call) => call.path.endsWith("/publish"))).toBe(false);
  });

  it("rolls back to an earlier version after confirming", async () => {
    const calls = stubApi(
      baseRoutes({
        "GET /api/v1/automations/aut_1": () => jsonResponse({ ...automation, version: 2 }),
        "GET /api/v1/automations/aut_1/versions": () =>
          jsonResponse([
            { version: 2, published_at: "2025-01-02T00:00:00Z", current: true, source_version: null, changes: ["Step 'wait-1' (wait) changed: duration 1h → 2h"] },
            { version: 1, published_at: "2025-01-01T00:00:00Z", current: false, source_version: null, changes: [] },
          ]),
        "POST /api/v1/automations/aut_1/rollback": () =>
          jsonResponse({ version: 3, published_at: "2025-01-03T00:00:00Z", current: true, source_version: 1, changes: [], definition: everyStepType, compared_to: 2, diff }, 201),
      }),
    );
    renderEditorPage(<FlowEditorPage />);
    fireEvent.click(await screen.findByRole("button", { name: "Version history" }));
    expect(await screen.findByText("Step 'wait-1' (wait) changed: duration 1h → 2h")).toBeInTheDocument();
    const buttons = screen.getAllByRole("button", { name: "Roll back to this" });
    expect(buttons).toHaveLength(1); // not for the live version
    fireEvent.click(buttons[0] as HTMLElement);
    const dialog = screen.getByRole("dialog", { name: "Roll back to version 1?" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Roll back" }));
    expect(await screen.findByText("Published version 3, a copy of version 1.")).toBeInTheDocument();
    expect(calls.find((call) => call.path.endsWith("/rollback"))?.body).toEqual({ version: 1 });
  });

  it("shows support the flow with no editing controls", async () => {
    const calls = stubApi(baseRoutes());
    renderEditorPage(<FlowEditorPage />, { role: "support" });
    fireEvent.click(await waitNode("1h"));
    expect(screen.getByRole("heading", { name: "Panel of wait-1" })).toBeInTheDocument();
    for (const name of ["Save draft", "Publish", "Undo", "Redo", "Discard draft", "Delete step", "Duplicate step", "Move up", "Make it 2h"]) {
      expect(screen.queryByRole("button", { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole("button", { name: /^Add a step/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Version history" })).toBeInTheDocument();
    await act(() => new Promise((resolve) => setTimeout(resolve, 600)));
    expect(calls.map((call) => call.path)).toEqual(["/api/v1/automations/aut_1"]);
  });
});
