import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Problem } from "../api/client";
import type { Step } from "../definition/definition";
import { fieldKind, fieldLabel, unwrapNullable, asSchema, type JsonSchema } from "./json-schema";
import { StepPanel } from "./step-panel";
import { Controlled, seriousA11yViolations, testCatalog } from "../test/step-form-helpers";

const catalog = testCatalog();

function renderPanel(step: Step, options: { problems?: Problem[]; readOnly?: boolean } = {}) {
  const onChange = vi.fn<(step: Step) => void>();
  render(
    <Controlled<Step>
      initial={step}
      onChange={onChange}
      render={(value, change) => (
        <StepPanel
          step={value}
          catalog={catalog}
          problems={options.problems ?? []}
          readOnly={options.readOnly ?? false}
          onChange={change}
          triggerEvent="cart_abandoned"
          actionStepIds={["code-1"]}
        />
      )}
    />,
  );
  return onChange;
}

function lastParams(onChange: ReturnType<typeof vi.fn>): Record<string, unknown> {
  const step = onChange.mock.lastCall?.[0] as Step | undefined;
  if (step?.type !== "action") throw new Error("no action step was written");
  return step.params ?? {};
}

// What a person does to each kind of input, and what the step's params then hold.
type Edit = { element: HTMLElement; expected: unknown; act: () => void };

function editFor(key: string, schema: JsonSchema): Edit {
  const label = fieldLabel(key, schema);
  switch (fieldKind(schema)) {
    case "duration": {
      const element = screen.getByRole("spinbutton", { name: label });
      const unit = (screen.getByRole("combobox", { name: "Unit" }) as HTMLSelectElement).value;
      return { element, expected: `3${unit}`, act: () => fireEvent.change(element, { target: { value: "3" } }) };
    }
    case "template": {
      const element = screen.getByRole("combobox", { name: label });
      return { element, expected: "cart-discount", act: () => fireEvent.change(element, { target: { value: "cart-discount" } }) };
    }
    case "integer":
    case "number": {
      const element = screen.getByRole("spinbutton", { name: label });
      const value = schema.minimum ?? 1;
      return { element, expected: value, act: () => fireEvent.change(element, { target: { value: String(value) } }) };
    }
    case "text": {
      const element = screen.getByLabelText(label);
      const value = schema.format === "uri" ? "https://example.com/hook" : "ABC1";
      return { element, expected: value, act: () => fireEvent.change(element, { target: { value } }) };
    }
    case "boolean": {
      const element = screen.getByRole("checkbox", { name: label });
      return { element, expected: !(schema.default === true), act: () => fireEvent.click(element) };
    }
    default:
      throw new Error(`the built-in action field ${key} has no form test: add one`);
  }
}

describe("StepPanel for every built-in action (the catalog's real params schemas)", () => {
  const actions = catalog.actions.map((action) => [action.name, action] as const);

  it.each(actions)("%s: shows the action's label and description", (name, action) => {
    renderPanel({ id: "act", type: "action", action: name, params: {} });

    expect(screen.getByRole("heading", { name: action.label })).toBeInTheDocument();
    expect(screen.getByText(action.description)).toBeInTheDocument();
  });

  const fields = catalog.actions.flatMap((action) => {
    const schema = asSchema(action.params_schema);
    return Object.entries(schema.properties ?? {}).map(
      ([key, raw]) => [action.name, key, unwrapNullable(raw, schema).schema] as const,
    );
  });

  it.each(fields)("%s: the field %s is labelled, described and edits params", (name, key, schema) => {
    const onChange = renderPanel({ id: "act", type: "action", action: name, params: {} });

    const { element, expected, act } = editFor(key, schema);
    if (schema.description) expect(element).toHaveAccessibleDescription(expect.stringContaining(schema.description));
    act();

    expect(lastParams(onChange)).toEqual({ [key]: expected });
    expect(onChange.mock.lastCall?.[0]).toMatchObject({ id: "act", type: "action", action: name });
  });

  it("covers at least the six built-in actions", () => {
    expect(actions.map(([name]) => name)).toEqual(
      expect.arrayContaining(["send_email", "create_discount", "notify_owner", "send_webhook", "tag_customer", "mark_cart_lost"]),
    );
  });

  it("shows saved params and shows defaults as placeholders", () => {
    renderPanel({ id: "code", type: "action", action: "create_discount", params: { percent: 15 } });

    expect(screen.getByRole("spinbutton", { name: "Discount %" })).toHaveValue(15);
    expect(screen.getByRole("spinbutton", { name: "Discount %" })).toHaveAttribute("max", "90");
    expect(screen.getByLabelText("Code prefix")).toHaveAttribute("placeholder", "SAVE");
    expect(screen.getByRole("spinbutton", { name: "Valid for" })).toHaveAttribute("placeholder", "7");
  });

  it("leaves an emptied optional field out of params", () => {
    const onChange = renderPanel({
      id: "email-1",
      type: "action",
      action: "send_email",
      params: { template: "cart-reminder", subject: "Hi" },
    });

    fireEvent.change(screen.getByLabelText("Subject"), { target: { value: "" } });

    expect(lastParams(onChange)).toEqual({ template: "cart-reminder" });
  });

  it("offers the published templates, and keeps a saved one that is not published", () => {
    renderPanel({ id: "email-1", type: "action", action: "send_email", params: { template: "gone" } });

    const picker = screen.getByRole("combobox", { name: "Template" });
    const options = within(picker).getAllByRole("option").map((option) => option.textContent);
    expect(options).toEqual([
      "Default (cart-reminder)",
      "gone (not published)",
      "cart-discount",
      "cart-reminder",
      "owner-notification",
    ]);
    expect(picker).toHaveValue("gone");
  });

  it("says an action with nothing to set has nothing to set", () => {
    renderPanel({ id: "lost", type: "action", action: "mark_cart_lost", params: {} });

    expect(screen.getByText(/nothing to set/i)).toBeInTheDocument();
  });

  it("keeps an unknown action's params editable as JSON", () => {
    const onChange = renderPanel({ id: "x", type: "action", action: "not_installed", params: { a: 1 } });

    expect(screen.getByText(/unknown action/i)).toBeInTheDocument();
    const json = screen.getByLabelText("Parameters");
    fireEvent.change(json, { target: { value: '{"a": 2}' } });
    fireEvent.blur(json);

    expect(lastParams(onChange)).toEqual({ a: 2 });
  });
});

describe("StepPanel per step type", () => {
  it("shows the step's type and its id, read-only", () => {
    renderPanel({ id: "wait-1", type: "wait", duration: "1h" });

    expect(screen.getByRole("heading", { name: "Wait" })).toBeInTheDocument();
    expect(screen.getByText("wait-1")).toBeInTheDocument();
    expect(screen.queryByRole("textbox", { name: /id/i })).not.toBeInTheDocument();
  });

  it("wait: changing 1 hour to 2 writes duration 2h", () => {
    const onChange = renderPanel({ id: "wait-1", type: "wait", duration: "1h" });

    fireEvent.change(screen.getByRole("spinbutton", { name: "Wait for" }), { target: { value: "2" } });

    expect(onChange).toHaveBeenLastCalledWith({ id: "wait-1", type: "wait", duration: "2h" });
  });

  it("wait_until: edits the time, the days (in week order) and the time zone", () => {
    const onChange = renderPanel({ id: "morning", type: "wait_until", time: "09:00", days: ["fri"], timezone: "customer" });

    fireEvent.change(screen.getByLabelText("Time of day"), { target: { value: "10:30" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "Mon" }));
    fireEvent.change(screen.getByRole("combobox", { name: "Time zone" }), { target: { value: "other" } });
    fireEvent.change(screen.getByLabelText("Time zone name"), { target: { value: "Europe/Paris" } });

    expect(onChange).toHaveBeenLastCalledWith({
      id: "morning",
      type: "wait_until",
      time: "10:30",
      days: ["mon", "fri"],
      timezone: "Europe/Paris",
    });
  });

  it("wait_for_event: picks the event from the catalog and edits the timeout", () => {
    const onChange = renderPanel({ id: "click?", type: "wait_for_event", event: "email_clicked", timeout: "48h", on_event: [], on_timeout: [] });

    const event = screen.getByRole("combobox", { name: "Event" });
    expect(within(event).getAllByRole("option")).toHaveLength(catalog.events.length);
    fireEvent.change(event, { target: { value: "order_placed" } });
    fireEvent.change(screen.getByRole("spinbutton", { name: "Timeout" }), { target: { value: "3" } });

    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ event: "order_placed", timeout: "3d", on_event: [], on_timeout: [] }),
    );
  });

  it("condition: edits the rule and keeps both branches", () => {
    const branches = { then: [{ id: "a", type: "exit" as const, outcome: "completed" }], else: [] };
    const onChange = renderPanel({ id: "vip?", type: "condition", if: { field: "customer.segment", op: "eq", value: "new" }, ...branches });

    fireEvent.change(screen.getByRole("combobox", { name: "Value" }), { target: { value: "vip" } });

    expect(onChange).toHaveBeenLastCalledWith({
      id: "vip?",
      type: "condition",
      if: { field: "customer.segment", op: "eq", value: "vip" },
      ...branches,
    });
  });

  it("condition: a step's condition does not offer filters-only fields", () => {
    renderPanel({ id: "c", type: "condition", if: { field: "cart.total", op: "gte", value: 1 }, then: [], else: [] });

    expect(screen.queryByRole("option", { name: "Email domain" })).not.toBeInTheDocument();
    expect(screen.getByRole("option", { name: "Cart total" })).toBeInTheDocument();
  });

  it("ab_split: edits names and weights and shows each share and the total", () => {
    const onChange = renderPanel({
      id: "ab",
      type: "ab_split",
      variants: [
        { name: "urgency", weight: 50, steps: [] },
        { name: "friendly", weight: 50, steps: [] },
      ],
    });

    fireEvent.change(screen.getByLabelText("Variant 2 weight"), { target: { value: "150" } });
    fireEvent.change(screen.getByLabelText("Variant 1 name"), { target: { value: "hurry" } });

    expect(screen.getByText("Total weight: 200")).toBeInTheDocument();
    expect(screen.getByText("25% of journeys")).toBeInTheDocument();
    expect(screen.getByText("75% of journeys")).toBeInTheDocument();
    expect(onChange).toHaveBeenLastCalledWith({
      id: "ab",
      type: "ab_split",
      variants: [
        { name: "hurry", weight: 50, steps: [] },
        { name: "friendly", weight: 150, steps: [] },
      ],
    });
  });

  it("ab_split: adds a variant; removing one with steps asks first, and drops its steps", () => {
    const email = { id: "e", type: "action" as const, action: "send_email", params: {} };
    const onChange = renderPanel({
      id: "ab",
      type: "ab_split",
      variants: [
        { name: "A", weight: 50, steps: [] },
        { name: "B", weight: 50, steps: [email] },
      ],
    });

    expect(screen.getByRole("button", { name: "Remove variant 1" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Add variant" }));
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ variants: [expect.anything(), expect.anything(), { name: "Variant C", weight: 0, steps: [] }] }),
    );

    fireEvent.click(screen.getByRole("button", { name: "Remove variant 2" }));
    const dialog = screen.getByRole("dialog", { name: "Remove variant “B”?" });
    expect(dialog).toHaveTextContent("Its 1 step will be deleted too.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove variant and its steps" }));

    expect(onChange).toHaveBeenLastCalledWith({
      id: "ab",
      type: "ab_split",
      variants: [
        { name: "A", weight: 50, steps: [] },
        { name: "Variant C", weight: 0, steps: [] },
      ],
    });
  });

  it("exit: edits the outcome", () => {
    const onChange = renderPanel({ id: "lost", type: "exit", outcome: "completed" });

    fireEvent.change(screen.getByLabelText("Outcome"), { target: { value: "lost" } });

    expect(onChange).toHaveBeenLastCalledWith({ id: "lost", type: "exit", outcome: "lost" });
  });
});

describe("StepPanel problems and read-only", () => {
  it("lists the step's problems at the top and beside the input they concern", () => {
    renderPanel(
      { id: "code", type: "action", action: "create_discount", params: { percent: 95 } },
      {
        problems: [
          { field: "params.percent", message: "step 'code': params.percent: 'percent' must be 90 or less", step_id: "code" },
          { field: "steps", message: "step 'code' can never run: it comes after the exit step 'x'", step_id: "code" },
        ],
      },
    );

    const list = screen.getByRole("region", { name: "Problems in this step" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    const percent = screen.getByRole("spinbutton", { name: "Discount %" });
    expect(percent).toHaveAttribute("aria-invalid", "true");
    expect(percent).toHaveAccessibleDescription(/must be 90 or less/);
    expect(screen.getByLabelText("Code prefix")).not.toHaveAttribute("aria-invalid");
  });

  it("matches a structural problem's full path to its input", () => {
    renderPanel(
      { id: "wait-1", type: "wait", duration: "0s" },
      { problems: [{ field: "steps.0.wait.duration", message: "step 'wait-1': a duration must be longer than zero", step_id: "wait-1" }] },
    );

    expect(screen.getByRole("spinbutton", { name: "Wait for" })).toHaveAccessibleDescription(/longer than zero/);
  });

  it.each<Step>([
    { id: "w", type: "wait", duration: "1h" },
    { id: "code", type: "action", action: "create_discount", params: { percent: 10 } },
    { id: "c", type: "condition", if: { all: [{ field: "cart.total", op: "gte", value: 1 }, { field: "cart.item_count", op: "gt", value: 2 }] }, then: [], else: [] },
    { id: "ab", type: "ab_split", variants: [{ name: "A", weight: 1, steps: [] }, { name: "B", weight: 1, steps: [] }, { name: "C", weight: 1, steps: [] }] },
  ])("read-only $type: shows the values with no editing controls", (step) => {
    renderPanel(step, { readOnly: true });

    expect(screen.queryAllByRole("button")).toHaveLength(0);
    for (const control of [...screen.queryAllByRole("spinbutton"), ...screen.queryAllByRole("combobox"), ...screen.queryAllByRole("textbox")]) {
      expect(control).toBeDisabled();
    }
  });

  it("read-only shows the saved values", () => {
    renderPanel({ id: "w", type: "wait", duration: "1h" }, { readOnly: true });

    expect(screen.getByRole("spinbutton", { name: "Wait for" })).toHaveValue(1);
    expect(screen.getByRole("combobox", { name: "Unit" })).toHaveValue("h");
  });
});

describe("StepPanel accessibility", () => {
  it.each<Step>([
    { id: "w", type: "wait", duration: "1h" },
    { id: "u", type: "wait_until", time: "09:00", days: ["mon"], timezone: "Europe/Paris" },
    { id: "e", type: "wait_for_event", event: "email_clicked", timeout: "48h", on_event: [], on_timeout: [] },
    { id: "c", type: "condition", if: { any: [{ field: "customer.segment", op: "in", value: ["vip"] }, { not: { field: "steps.x.code", op: "exists", value: null } }] }, then: [], else: [] },
    { id: "ab", type: "ab_split", variants: [{ name: "A", weight: 1, steps: [] }, { name: "B", weight: 1, steps: [] }] },
    { id: "m", type: "action", action: "send_email", params: {} },
    { id: "d", type: "action", action: "create_discount", params: {} },
    { id: "x", type: "exit", outcome: "lost" },
  ])("$type has no serious axe violations", async (step) => {
    renderPanel(step, { problems: [{ field: "params.percent", message: "'percent' is missing", step_id: step.id }] });

    expect(await seriousA11yViolations(document.body)).toEqual([]);
  });
});
