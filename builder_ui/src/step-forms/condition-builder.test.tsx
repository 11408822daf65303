import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Condition } from "../definition/definition";
import { fieldsFor } from "./condition";
import { ConditionBuilder } from "./condition-builder";
import { Controlled, testCatalog } from "../test/step-form-helpers";

const catalog = testCatalog();

function renderBuilder(
  initial: Condition | null,
  options: { scope?: "filters" | "step"; optional?: boolean; trigger?: string; stepIds?: string[] } = {},
) {
  const onChange = vi.fn<(value: Condition | null) => void>();
  render(
    <Controlled<Condition | null>
      initial={initial}
      onChange={onChange}
      render={(value, change) => (
        <ConditionBuilder
          label="Only when"
          value={value}
          onChange={change}
          fields={fieldsFor(catalog, options.trigger ?? "cart_abandoned", options.scope ?? "step")}
          optional={options.optional ?? false}
          stepIds={options.stepIds}
        />
      )}
    />,
  );
  return onChange;
}

function optionTexts(select: HTMLElement): string[] {
  return within(select).getAllByRole("option").map((option) => option.textContent ?? "");
}

describe("ConditionBuilder operators and values by field type", () => {
  it.each([
    ["cart.total", 25, ["is", "is not", "is greater than", "is at least", "is less than", "is at most", "is present"]],
    ["cart.item_count", 2, ["is", "is not", "is greater than", "is at least", "is less than", "is at most", "is one of", "is none of", "is present"]],
    ["cart.currency", "EUR", ["is", "is not", "is one of", "is none of", "contains", "is present"]],
    ["cart.has_email", true, ["is", "is not", "is present"]],
    ["customer.segment", "vip", ["is", "is not", "is one of", "is none of", "is present"]],
    ["customer.tags", "wholesale", ["contains", "is present"]],
  ])("%s offers only the operators that fit", (field, value, operators) => {
    renderBuilder({ field, op: field === "customer.tags" ? "contains" : "eq", value });

    expect(optionTexts(screen.getByRole("combobox", { name: "Operator" }))).toEqual(operators);
  });

  it("a number field takes a number", () => {
    const onChange = renderBuilder({ field: "cart.total", op: "gte", value: 25 });

    fireEvent.change(screen.getByRole("spinbutton", { name: "Value" }), { target: { value: "40" } });

    expect(onChange).toHaveBeenLastCalledWith({ field: "cart.total", op: "gte", value: 40 });
  });

  it("a boolean field takes yes or no", () => {
    const onChange = renderBuilder({ field: "cart.has_email", op: "eq", value: true });

    fireEvent.change(screen.getByRole("combobox", { name: "Value" }), { target: { value: "false" } });

    expect(onChange).toHaveBeenLastCalledWith({ field: "cart.has_email", op: "eq", value: false });
  });

  it("an enum field offers its values", () => {
    renderBuilder({ field: "customer.segment", op: "eq", value: "vip" });

    expect(optionTexts(screen.getByRole("combobox", { name: "Value" }))).toEqual(["new", "repeat", "vip"]);
  });

  it("'is one of' on an enum ticks values; on a number takes a list", () => {
    const onChange = renderBuilder({ field: "customer.segment", op: "eq", value: "vip" });

    fireEvent.change(screen.getByRole("combobox", { name: "Operator" }), { target: { value: "in" } });
    expect(onChange).toHaveBeenLastCalledWith({ field: "customer.segment", op: "in", value: ["vip"] });
    fireEvent.click(screen.getByRole("checkbox", { name: "new" }));
    expect(onChange).toHaveBeenLastCalledWith({ field: "customer.segment", op: "in", value: ["vip", "new"] });

    fireEvent.change(screen.getByRole("combobox", { name: "Field" }), { target: { value: "cart.item_count" } });
    fireEvent.change(screen.getByRole("textbox", { name: "Values" }), { target: { value: "1, 2,3" } });
    expect(onChange).toHaveBeenLastCalledWith({ field: "cart.item_count", op: "in", value: [1, 2, 3] });
  });

  it("'is present' takes no value", () => {
    const onChange = renderBuilder({ field: "cart.currency", op: "eq", value: "EUR" });

    fireEvent.change(screen.getByRole("combobox", { name: "Operator" }), { target: { value: "exists" } });

    expect(onChange).toHaveBeenLastCalledWith({ field: "cart.currency", op: "exists", value: null });
    expect(screen.queryByLabelText("Value")).not.toBeInTheDocument();
  });

  it("changing the field to another type resets operator and value to fit", () => {
    const onChange = renderBuilder({ field: "cart.total", op: "gte", value: 25 });

    fireEvent.change(screen.getByRole("combobox", { name: "Field" }), { target: { value: "customer.tags" } });

    expect(onChange).toHaveBeenLastCalledWith({ field: "customer.tags", op: "contains", value: "" });
  });
});

describe("ConditionBuilder fields", () => {
  it("groups the trigger's fields by root", () => {
    renderBuilder({ field: "cart.total", op: "gte", value: 1 });

    const field = screen.getByRole("combobox", { name: "Field" });
    const groups = [...field.querySelectorAll("optgroup")].map((group) => group.label);
    expect(groups).toEqual(["Cart", "Customer", "Event"]);
    expect(within(field).queryByRole("option", { name: "Order total" })).not.toBeInTheDocument();
  });

  it("offers order fields to order triggers", () => {
    renderBuilder({ field: "order.total", op: "gte", value: 1 }, { trigger: "order_placed" });

    const field = screen.getByRole("combobox", { name: "Field" });
    expect(within(field).getByRole("option", { name: "Order total" })).toBeInTheDocument();
    expect(within(field).queryByRole("option", { name: "Cart total" })).not.toBeInTheDocument();
  });

  it("trigger filters may test filters-only fields; steps may not", () => {
    renderBuilder({ field: "cart.total", op: "gte", value: 1 }, { scope: "filters" });
    expect(screen.getByRole("option", { name: "Email domain" })).toBeInTheDocument();
  });

  it("tests an earlier step's result through a typed path", () => {
    const onChange = renderBuilder({ field: "cart.total", op: "gte", value: 1 }, { stepIds: ["code-1"] });

    fireEvent.change(screen.getByRole("combobox", { name: "Field" }), { target: { value: "__other__" } });
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ field: "steps.code-1." }));
    fireEvent.change(screen.getByLabelText("Field path"), { target: { value: "steps.code-1.code" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Operator" }), { target: { value: "exists" } });

    expect(onChange).toHaveBeenLastCalledWith({ field: "steps.code-1.code", op: "exists", value: null });
  });

  it("shows a field it does not know, with every operator, without changing it", () => {
    renderBuilder({ field: "steps.code-1.percent", op: "gt", value: 10 });

    expect(screen.getByRole("textbox", { name: "Field path" })).toHaveValue("steps.code-1.percent");
    expect(screen.getByRole("combobox", { name: "Operator" })).toHaveValue("gt");
    expect(screen.getByRole("textbox", { name: "Value" })).toHaveValue("10");
  });
});

describe("ConditionBuilder groups", () => {
  it("adding a rule to a single rule makes an 'all' group", () => {
    const onChange = renderBuilder({ field: "cart.total", op: "gte", value: 25 });

    fireEvent.click(screen.getByRole("button", { name: "Add rule" }));

    expect(onChange).toHaveBeenLastCalledWith({
      all: [
        { field: "cart.total", op: "gte", value: 25 },
        { field: "cart.total", op: "eq", value: 0 },
      ],
    });
  });

  it("switches all to any, adds and removes rules and groups", () => {
    const onChange = renderBuilder({
      all: [
        { field: "cart.total", op: "gte", value: 25 },
        { field: "customer.segment", op: "eq", value: "vip" },
      ],
    });

    fireEvent.change(screen.getByRole("combobox", { name: "Match" }), { target: { value: "any" } });
    expect(onChange).toHaveBeenLastCalledWith({
      any: [
        { field: "cart.total", op: "gte", value: 25 },
        { field: "customer.segment", op: "eq", value: "vip" },
      ],
    });

    fireEvent.click(screen.getAllByRole("button", { name: "Remove rule" })[0]!);
    expect(onChange).toHaveBeenLastCalledWith({ any: [{ field: "customer.segment", op: "eq", value: "vip" }] });
    // The last rule of a required condition stays.
    expect(screen.queryByRole("button", { name: "Remove rule" })).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Add group" }));
    expect(onChange).toHaveBeenLastCalledWith({
      any: [{ field: "customer.segment", op: "eq", value: "vip" }, { any: [{ field: "cart.total", op: "eq", value: 0 }] }],
    });
    expect(screen.getAllByRole("combobox", { name: "Match" })).toHaveLength(2);
  });

  it("'Not' wraps a rule and unwraps it", () => {
    const onChange = renderBuilder({ all: [{ field: "cart.has_email", op: "eq", value: true }] });

    const not = screen.getAllByRole("checkbox", { name: "Not" });
    fireEvent.click(not[1]!); // [0] is the group's
    expect(onChange).toHaveBeenLastCalledWith({ all: [{ not: { field: "cart.has_email", op: "eq", value: true } }] });

    fireEvent.change(screen.getByRole("combobox", { name: "Value" }), { target: { value: "false" } });
    expect(onChange).toHaveBeenLastCalledWith({ all: [{ not: { field: "cart.has_email", op: "eq", value: false } }] });

    fireEvent.click(screen.getAllByRole("checkbox", { name: "Not" })[1]!);
    expect(onChange).toHaveBeenLastCalledWith({ all: [{ field: "cart.has_email", op: "eq", value: false }] });
  });

  it("'Not' on a group keeps its rules inside", () => {
    const onChange = renderBuilder({ not: { any: [{ field: "cart.total", op: "lt", value: 5 }] } });

    expect(screen.getAllByRole("checkbox", { name: "Not" })[0]).toBeChecked();
    fireEvent.change(screen.getByRole("spinbutton", { name: "Value" }), { target: { value: "6" } });

    expect(onChange).toHaveBeenLastCalledWith({ not: { any: [{ field: "cart.total", op: "lt", value: 6 }] } });
  });

  it("an optional condition can be emptied and started again", () => {
    const onChange = renderBuilder({ field: "cart.total", op: "gte", value: 25 }, { optional: true, scope: "filters" });

    fireEvent.click(screen.getByRole("button", { name: "Remove rule" }));
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(screen.getByText(/no conditions/i)).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Add rule" }));
    expect(onChange).toHaveBeenLastCalledWith({ field: "cart.total", op: "eq", value: 0 });
  });
});
