import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { QuietHoursInput, type QuietHours } from "./quiet-hours-input";
import { Controlled, seriousA11yViolations } from "../test/step-form-helpers";

const LABEL = "Hold messages during quiet hours";

function renderQuiet(
  initial: QuietHours | null,
  props: { disabled?: boolean; hint?: string; problems?: string[] } = {},
) {
  const onChange = vi.fn<(value: QuietHours | null) => void>();
  render(
    <Controlled<QuietHours | null>
      initial={initial}
      onChange={onChange}
      render={(value, change) => <QuietHoursInput value={value} label={LABEL} onChange={change} {...props} />}
    />,
  );
  return { onChange, checkbox: screen.getByRole("checkbox", { name: LABEL }) };
}

describe("QuietHoursInput", () => {
  it("turns on at 21:00–08:00 in the customer's time zone, and off to null", () => {
    const { onChange, checkbox } = renderQuiet(null);
    expect(checkbox).not.toBeChecked();
    expect(screen.queryByLabelText("Quiet from")).not.toBeInTheDocument();

    fireEvent.click(checkbox);
    expect(onChange).toHaveBeenLastCalledWith({ start: "21:00", end: "08:00", timezone: "customer" });
    expect(screen.getByLabelText("Quiet from")).toHaveValue("21:00");
    expect(screen.getByLabelText("Quiet until")).toHaveValue("08:00");
    expect(screen.getByRole("combobox", { name: "Time zone" })).toHaveValue("customer");

    fireEvent.click(checkbox);
    expect(onChange).toHaveBeenLastCalledWith(null);
    expect(screen.queryByLabelText("Quiet from")).not.toBeInTheDocument();
  });

  it("edits the start, the end and the time zone", () => {
    const { onChange } = renderQuiet({ start: "21:00", end: "08:00", timezone: "customer" });

    fireEvent.change(screen.getByLabelText("Quiet from"), { target: { value: "22:30" } });
    fireEvent.change(screen.getByLabelText("Quiet until"), { target: { value: "07:00" } });
    fireEvent.change(screen.getByRole("combobox", { name: "Time zone" }), { target: { value: "shop" } });

    expect(onChange).toHaveBeenLastCalledWith({ start: "22:30", end: "07:00", timezone: "shop" });
  });

  it("takes a named time zone, typed after choosing another one", () => {
    const { onChange } = renderQuiet({ start: "21:00", end: "08:00", timezone: "shop" });

    fireEvent.change(screen.getByRole("combobox", { name: "Time zone" }), { target: { value: "other" } });
    // Nothing to write until a name is typed.
    expect(onChange).not.toHaveBeenCalled();
    fireEvent.change(screen.getByLabelText("Time zone name"), { target: { value: "Europe/Paris" } });

    expect(onChange).toHaveBeenLastCalledWith({ start: "21:00", end: "08:00", timezone: "Europe/Paris" });
    expect(screen.getByRole("combobox", { name: "Time zone" })).toHaveValue("other");
  });

  it("shows a saved named time zone as another one, with its name", () => {
    renderQuiet({ start: "21:00", end: "08:00", timezone: "America/New_York" });

    expect(screen.getByRole("combobox", { name: "Time zone" })).toHaveValue("other");
    expect(screen.getByLabelText("Time zone name")).toHaveValue("America/New_York");
  });

  it("brings back the window just turned off when turned on again", () => {
    const { onChange, checkbox } = renderQuiet({ start: "23:00", end: "06:00", timezone: "Asia/Tokyo" });

    fireEvent.click(checkbox);
    fireEvent.click(checkbox);

    expect(onChange).toHaveBeenLastCalledWith({ start: "23:00", end: "06:00", timezone: "Asia/Tokyo" });
  });

  it("disabled, shows the window with nothing to edit", () => {
    const { checkbox } = renderQuiet({ start: "21:00", end: "08:00", timezone: "customer" }, { disabled: true });

    expect(checkbox).toBeDisabled();
    expect(screen.getByLabelText("Quiet from")).toBeDisabled();
    expect(screen.getByLabelText("Quiet until")).toBeDisabled();
    expect(screen.getByRole("combobox", { name: "Time zone" })).toBeDisabled();
  });

  it("describes the checkbox with the hint and the problems", () => {
    const { checkbox } = renderQuiet(null, { hint: "No default quiet hours.", problems: ["'end' must be HH:MM"] });

    expect(checkbox).toHaveAccessibleDescription(/No default quiet hours\./);
    expect(checkbox).toHaveAccessibleDescription(/'end' must be HH:MM/);
  });

  it("has no serious accessibility violations", async () => {
    renderQuiet({ start: "21:00", end: "08:00", timezone: "Europe/Paris" }, { problems: ["unknown time zone"] });

    expect(await seriousA11yViolations(document.body)).toEqual([]);
  });
});
