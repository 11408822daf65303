import { fireEvent, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Step } from "../definition/definition";
import type { StepPanelProps } from "../step-forms/step-panel";
import { jsonResponse, routedFetch } from "../test/fixtures";
import { FlowEditorPage } from "./flow-editor-page";
import { catalog, everyStepType, everyStepTypeOverview } from "../test/sample-definitions";
import { renderEditorPage, stubReactFlowDom } from "../test/flow-editor-helpers";

// The step panel belongs to another module: a stand-in that edits through the same callback.
vi.mock("../step-forms/step-panel", () => ({
  StepPanel: ({ step, onChange }: StepPanelProps) => (
    <button type="button" onClick={() => onChange({ ...step, duration: "2h" } as Step)}>
      Make it 2h
    </button>
  ),
}));

const automation = everyStepTypeOverview;

const waitNode = (duration: string) => screen.findByRole("button", { name: new RegExp(`^Step wait-1: Wait ${duration}`) });

async function openAndMakeTheWait2h() {
  vi.stubGlobal(
    "fetch",
    vi.fn(
      routedFetch({
        "GET /api/v1/automations/aut_1": automation,
        "GET /api/v1/catalog": catalog,
        "POST /api/v1/automations/aut_1/validate": { valid: true, problems: [], diff: null },
        "PUT /api/v1/automations/aut_1/draft": () => jsonResponse({ ...automation, draft: everyStepType }),
      }),
    ),
  );
  const view = renderEditorPage(<FlowEditorPage />);
  fireEvent.click(await waitNode("1h"));
  fireEvent.click(screen.getByRole("button", { name: "Make it 2h" }));
  expect(await waitNode("2h")).toBeInTheDocument();
  return view;
}

const backToTheList = () => fireEvent.click(screen.getByRole("link", { name: "← Automations" }));

describe("FlowEditor with unsaved changes", () => {
  beforeEach(stubReactFlowDom);

  it("asks before leaving: Stay keeps the edit, Discard and leave opens the list", async () => {
    await openAndMakeTheWait2h();

    backToTheList();
    const dialog = await screen.findByRole("dialog", { name: "Unsaved changes" });
    expect(dialog).toHaveTextContent(`You have unsaved changes to the automation “${everyStepType.name}”.`);
    fireEvent.click(within(dialog).getByRole("button", { name: "Stay" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(await waitNode("2h")).toBeInTheDocument();
    expect(screen.getByText("Unsaved changes")).toBeInTheDocument();

    backToTheList();
    fireEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard and leave" }));
    expect(await screen.findByText("The list")).toBeInTheDocument();
  });

  it("leaves without asking once the draft is saved", async () => {
    await openAndMakeTheWait2h();
    fireEvent.click(screen.getByRole("button", { name: "Save draft" }));
    expect(await screen.findByText("Draft saved")).toBeInTheDocument();

    backToTheList();

    expect(await screen.findByText("The list")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
