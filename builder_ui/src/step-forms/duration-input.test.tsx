import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { DurationInput } from "./duration-input";
import { Controlled } from "../test/step-form-helpers";

function renderDuration(initial: string | null, props: { optional?: boolean; placeholder?: string } = {}) {
  const onChange = vi.fn();
  render(
    <Controlled<string | null>
      initial={initial}
      onChange={onChange}
      render={(value, change) => <DurationInput label="Wait for" value={value} onChange={change} {...props} />}
    />,
  );
  return {
    onChange,
    amount: screen.getByRole("spinbutton", { name: "Wait for" }) as HTMLInputElement,
    unit: screen.getByRole("combobox", { name: "Unit" }) as HTMLSelectElement,
  };
}

describe("DurationInput", () => {
  it("shows 1h as the number 1 and the unit hours", () => {
    const { amount, unit } = renderDuration("1h");

    expect(amount.value).toBe("1");
    expect(unit.value).toBe("h");
    expect(unit.selectedOptions[0]?.textContent).toBe("hours");
  });

  it("writes 2h when the number changes from 1 to 2", () => {
    const { amount, onChange } = renderDuration("1h");

    fireEvent.change(amount, { target: { value: "2" } });

    expect(onChange).toHaveBeenLastCalledWith("2h");
    expect(amount.value).toBe("2");
  });

  it("writes the new unit with the same number", () => {
    const { unit, onChange } = renderDuration("2h");

    fireEvent.change(unit, { target: { value: "d" } });

    expect(onChange).toHaveBeenLastCalledWith("2d");
  });

  it("shows an ISO or mixed duration in one unit", () => {
    const { amount, unit } = renderDuration("1h30m");

    expect([amount.value, unit.value]).toEqual(["90", "m"]);
  });

  it("says so instead of writing a required duration that is empty or zero", () => {
    const { amount, onChange } = renderDuration("1h");

    fireEvent.change(amount, { target: { value: "" } });
    expect(onChange).not.toHaveBeenCalled();
    expect(amount).toHaveAccessibleDescription(/enter a number/i);

    fireEvent.change(amount, { target: { value: "0" } });
    expect(onChange).not.toHaveBeenCalled();
    expect(amount).toHaveAttribute("aria-invalid", "true");
  });

  it("unsets an optional duration when the number is cleared", () => {
    const { amount, onChange } = renderDuration("14d", { optional: true });

    fireEvent.change(amount, { target: { value: "" } });

    expect(onChange).toHaveBeenLastCalledWith(null);
  });

  it("shows the default as a placeholder in its unit", () => {
    const { amount, unit } = renderDuration(null, { optional: true, placeholder: "7d" });

    expect(amount.value).toBe("");
    expect(amount.placeholder).toBe("7");
    expect(unit.value).toBe("d");
  });

  it("follows a value changed from outside (undo)", () => {
    const { rerender } = render(<DurationInput label="Wait for" value="1h" onChange={() => {}} />);
    rerender(<DurationInput label="Wait for" value="30m" onChange={() => {}} />);

    expect(screen.getByRole("spinbutton", { name: "Wait for" })).toHaveValue(30);
    expect(screen.getByRole("combobox", { name: "Unit" })).toHaveValue("m");
  });

  it("names a saved value the engine would refuse", () => {
    render(<DurationInput label="Wait for" value="soon" onChange={() => {}} />);

    expect(screen.getByRole("spinbutton", { name: "Wait for" })).toHaveAccessibleDescription(
      /"soon" is not a duration/,
    );
  });
});
