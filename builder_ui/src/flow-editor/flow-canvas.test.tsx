import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { statsBadges } from "./canvas-context";
import { FlowCanvas, type FlowCanvasProps } from "./flow-canvas";
import { catalog, everyStepType } from "../test/sample-definitions";
import { stubReactFlowDom } from "../test/flow-editor-helpers";
import { TRIGGER_NODE_ID } from "./to-definition";

function renderCanvas(overrides: Partial<FlowCanvasProps> = {}) {
  const props: FlowCanvasProps = {
    definition: everyStepType,
    catalog,
    problems: [],
    selectedId: null,
    readOnly: false,
    onSelect: vi.fn(),
    onInsert: vi.fn(),
    ...overrides,
  };
  render(
    <div style={{ width: 800, height: 600 }}>
      <FlowCanvas {...props} />
    </div>,
  );
  return props;
}

describe("FlowCanvas", () => {
  beforeEach(stubReactFlowDom);

  it("shows the trigger and every step with a readable name", () => {
    renderCanvas();
    expect(screen.getByRole("button", { name: "Trigger: cart_abandoned when cart.total ≥ 25" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Step wait-1: Wait 1h" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Step email-1: Send email · cart-reminder" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Step vip?: If customer.segment = vip" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Step subject-test: A/B split: urgency 50% / friendly 50%" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Step click?: Wait for email_clicked, up to 48h" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Step lost: Exit · lost" })).toBeInTheDocument();
  });

  it("labels branches and offers a + on each edge", () => {
    renderCanvas();
    expect(screen.getByText("then")).toBeInTheDocument();
    expect(screen.getByText("else")).toBeInTheDocument();
    expect(screen.getByText("urgency 50%")).toBeInTheDocument();
    expect(screen.getByText("timeout")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add a step after wait-1" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add a step to the then branch of vip?" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add a step to the event branch of click?" })).toBeInTheDocument();
  });

  it("selects a node by click and by Enter", () => {
    const { onSelect } = renderCanvas();
    fireEvent.click(screen.getByRole("button", { name: "Step wait-1: Wait 1h" }));
    expect(onSelect).toHaveBeenLastCalledWith("wait-1");
    const trigger = screen.getByRole("button", { name: "Trigger: cart_abandoned when cart.total ≥ 25" });
    trigger.focus();
    fireEvent.keyDown(trigger, { key: "Enter" });
    expect(onSelect).toHaveBeenLastCalledWith(TRIGGER_NODE_ID);
  });

  it("opens a keyboard menu of step types and catalog actions from a +", () => {
    const { onInsert } = renderCanvas();
    fireEvent.click(screen.getByRole("button", { name: "Add a step after wait-1" }));
    const menu = screen.getByRole("menu", { name: "Add a step after wait-1" });
    const items = within(menu).getAllByRole("menuitem");
    expect(items.map((item) => item.textContent)).toEqual([
      "Wait",
      "Wait until",
      "Wait for event",
      "Condition",
      "A/B split",
      "Exit",
      "Create discount",
      "Send email",
      "Tag customer",
    ]);
    expect(within(menu).getByRole("group", { name: "Incentives" })).toBeInTheDocument();
    expect(items[0]).toHaveFocus();
    fireEvent.keyDown(menu, { key: "ArrowDown" });
    expect(items[1]).toHaveFocus();
    fireEvent.keyDown(menu, { key: "ArrowUp" });
    fireEvent.keyDown(menu, { key: "ArrowUp" });
    expect(items[items.length - 1]).toHaveFocus();
    fireEvent.click(within(menu).getByRole("menuitem", { name: "Send email" }));
    expect(onInsert).toHaveBeenCalledWith({ list: { kind: "root" }, index: 1 }, { type: "action", action: "send_email" });
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
  });

  it("closes the menu with Escape and gives the focus back", () => {
    renderCanvas();
    const plus = screen.getByRole("button", { name: "Add a step after wait-1" });
    fireEvent.click(plus);
    fireEvent.keyDown(screen.getByRole("menu"), { key: "Escape" });
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(plus).toHaveFocus();
  });

  it("marks nodes with problems, the trigger holding those without a step", () => {
    renderCanvas({
      problems: [
        { field: "duration", message: "a duration must be longer than zero", step_id: "wait-1" },
        { field: "trigger.filters", message: "unknown field", step_id: null },
      ],
    });
    expect(screen.getByRole("button", { name: "Step wait-1: Wait 1h 1 problem" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Trigger: cart_abandoned when cart.total ≥ 25 1 problem" })).toBeInTheDocument();
  });

  it("shows results badges only when given them (the Results tab), after the title", () => {
    renderCanvas();
    expect(document.querySelector(".flow-node__stats")).toBeNull();
    cleanup();

    renderCanvas({ readOnly: true, stepBadges: new Map([["email-1", statsBadges({ sent: 12, clicked: 3, recovered: 1 })]]) });
    const node = screen.getByRole("button", { name: "Step email-1: Send email · cart-reminder; 12 sent, 3 clicked, 1 recovered" });
    expect(node).toHaveTextContent(/cart-reminder 12 sent 3 clicked 1 recovered$/);
    expect(document.querySelectorAll(".flow-node__stats")).toHaveLength(1);
  });

  it("offers no + when read-only", () => {
    renderCanvas({ readOnly: true });
    expect(screen.queryByRole("button", { name: /^Add a step/ })).not.toBeInTheDocument();
    expect(screen.getByText("then")).toBeInTheDocument();
  });
});
