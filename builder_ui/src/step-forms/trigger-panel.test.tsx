import { fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { Problem } from "../api/client";
import type { Definition } from "../definition/definition";
import { Controlled, seriousA11yViolations, testCatalog } from "../test/step-form-helpers";
import { TriggerPanel } from "./trigger-panel";

const catalog = testCatalog();
const STEPS: Definition["steps"] = [{ id: "wait-1", type: "wait", duration: "1h" }];

function definition(overrides: Partial<Definition> = {}): Definition {
  return { name: "Cart reminders", trigger: { event: "cart_abandoned", filters: null }, steps: STEPS, ...overrides };
}

function renderTrigger(initial: Definition, options: { problems?: Problem[]; readOnly?: boolean } = {}) {
  const onChange = vi.fn<(definition: Definition) => void>();
  render(
    <Controlled<Definition>
      initial={initial}
      onChange={onChange}
      render={(value, change) => (
        <TriggerPanel
          definition={value}
          catalog={catalog}
          problems={options.problems ?? []}
          readOnly={options.readOnly ?? false}
          onChange={change}
        />
      )}
    />,
  );
  const last = () => onChange.mock.lastCall?.[0];
  return { onChange, last };
}

describe("TriggerPanel", () => {
  it("edits the name and the trigger event, leaving the steps alone", () => {
    const { last } = renderTrigger(definition());

    fireEvent.change(screen.getByRole("textbox", { name: "Name" }), { target: { value: "Win back" } });
    const event = screen.getByRole("combobox", { name: "Starts when" });
    expect(within(event).getAllByRole("option").map((o) => o.getAttribute("value"))).toEqual(catalog.triggers);
    fireEvent.change(event, { target: { value: "order_placed" } });

    expect(last()).toEqual({ name: "Win back", trigger: { event: "order_placed", filters: null }, steps: STEPS });
    expect(last()?.steps).toBe(STEPS);
  });

  it("starts with no filter, adds one (filters-only fields allowed) and removes it", () => {
    const { last } = renderTrigger(definition());

    const filters = screen.getByRole("group", { name: "Only for journeys where" });
    expect(within(filters).getByText(/no conditions/i)).toBeInTheDocument();
    fireEvent.click(within(filters).getByRole("button", { name: "Add rule" }));
    fireEvent.change(within(filters).getByRole("combobox", { name: "Field" }), { target: { value: "customer.email_domain" } });
    fireEvent.change(within(filters).getByRole("textbox", { name: "Value" }), { target: { value: "example.com" } });
    expect(last()?.trigger).toEqual({
      event: "cart_abandoned",
      filters: { field: "customer.email_domain", op: "eq", value: "example.com" },
    });

    fireEvent.click(within(filters).getByRole("button", { name: "Remove rule" }));
    expect(last()?.trigger).toEqual({ event: "cart_abandoned", filters: null });
  });

  it("shows the default exit events ticked and toggles one", () => {
    const { last } = renderTrigger(definition());

    const exits = screen.getByRole("group", { name: "Stop the journey when" });
    const ticked = within(exits)
      .getAllByRole("checkbox")
      .filter((box) => (box as HTMLInputElement).checked)
      .map((box) => box.parentElement?.textContent);
    expect(ticked).toEqual(["Cart recovered", "Order placed", "Unsubscribed"]);

    fireEvent.click(within(exits).getByRole("checkbox", { name: "Email clicked" }));
    expect(last()?.exit_on).toEqual(["cart_recovered", "order_placed", "unsubscribed", "email_clicked"]);
  });

  it("turns quiet hours on with a sensible window, edits and turns them off", () => {
    const { last } = renderTrigger(definition());

    fireEvent.click(screen.getByRole("checkbox", { name: /quiet hours/i }));
    expect(last()?.settings?.quiet_hours).toEqual({ start: "21:00", end: "08:00", timezone: "customer" });
    fireEvent.change(screen.getByLabelText("Quiet from"), { target: { value: "22:00" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Time zone" }), { target: { value: "shop" } });
    expect(last()?.settings?.quiet_hours).toEqual({ start: "22:00", end: "08:00", timezone: "shop" });

    fireEvent.click(screen.getByRole("checkbox", { name: /quiet hours/i }));
    expect(last()?.settings?.quiet_hours).toBeNull();
    expect(screen.queryByLabelText("Quiet from")).not.toBeInTheDocument();
  });

  it("shows the API's problem with the quiet hours beside them", () => {
    renderTrigger(
      definition({
        settings: { quiet_hours: { start: "21:00", end: "08:00", timezone: "Mars/Olympus" }, holdout_percent: 0, reentry_cooldown: null },
      }),
      { problems: [{ field: "settings.quiet_hours.timezone", message: "unknown time zone 'Mars/Olympus'" }] },
    );

    const quiet = screen.getByRole("group", { name: "Quiet hours" });
    expect(within(quiet).getByLabelText("Time zone name")).toHaveValue("Mars/Olympus");
    expect(within(quiet).getByRole("checkbox")).toHaveAccessibleDescription("unknown time zone 'Mars/Olympus'");
  });

  it("edits the holdout percent (0–100) and the optional re-entry cooldown", () => {
    const { last } = renderTrigger(
      definition({ settings: { quiet_hours: null, holdout_percent: 0, reentry_cooldown: "14d" } }),
    );

    const holdout = screen.getByRole("spinbutton", { name: "Holdout %" });
    expect(holdout).toHaveAttribute("min", "0");
    expect(holdout).toHaveAttribute("max", "100");
    fireEvent.change(holdout, { target: { value: "10" } });
    expect(last()?.settings).toEqual({ quiet_hours: null, holdout_percent: 10, reentry_cooldown: "14d" });

    const cooldown = screen.getByRole("spinbutton", { name: "Re-entry cooldown" });
    expect(cooldown).toHaveValue(14);
    fireEvent.change(cooldown, { target: { value: "" } });
    expect(last()?.settings).toEqual({ quiet_hours: null, holdout_percent: 10, reentry_cooldown: null });
    fireEvent.change(cooldown, { target: { value: "3" } });
    expect(last()?.settings?.reentry_cooldown).toBe("3d");
  });

  it("shows problems without a step at the top and beside their input", () => {
    renderTrigger(definition({ name: "" }), {
      problems: [
        { field: "name", message: "'name' cannot be empty" },
        { field: "settings.holdout_percent", message: "'holdout_percent' must be 100 or less" },
      ],
    });

    const list = screen.getByRole("region", { name: "Problems in the trigger and settings" });
    expect(within(list).getAllByRole("listitem")).toHaveLength(2);
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveAccessibleDescription("'name' cannot be empty");
    expect(screen.getByRole("spinbutton", { name: "Holdout %" })).toHaveAccessibleDescription(
      /must be 100 or less/,
    );
  });

  it("read-only shows everything with no editing controls", () => {
    renderTrigger(
      definition({ trigger: { event: "cart_abandoned", filters: { field: "cart.total", op: "gte", value: 25 } } }),
      { readOnly: true },
    );

    expect(screen.getByRole("textbox", { name: "Name" })).toHaveValue("Cart reminders");
    expect(screen.getByRole("textbox", { name: "Name" })).toBeDisabled();
    expect(screen.getByRole("spinbutton", { name: "Value" })).toHaveValue(25);
    expect(screen.queryAllByRole("button")).toHaveLength(0);
    for (const box of screen.getAllByRole("checkbox")) expect(box).toBeDisabled();
  });
});

describe("TriggerPanel accessibility", () => {
  it("has no serious axe violations", async () => {
    renderTrigger(
      definition({
        trigger: { event: "cart_abandoned", filters: { all: [{ field: "cart.total", op: "gte", value: 25 }] } },
        settings: { quiet_hours: { start: "21:00", end: "08:00", timezone: "customer" }, holdout_percent: 0, reentry_cooldown: "14d" },
      }),
    );

    expect(await seriousA11yViolations(document.body)).toEqual([]);
  });
});
