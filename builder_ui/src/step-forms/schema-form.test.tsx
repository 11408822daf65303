import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import type { JsonSchema } from "./json-schema";
import { SchemaForm } from "./schema-form";
import { Controlled, TEMPLATES } from "../test/step-form-helpers";

function renderForm(schema: JsonSchema, initial: Record<string, unknown> = {}) {
  const onChange = vi.fn<(value: Record<string, unknown>) => void>();
  render(
    <Controlled<Record<string, unknown>>
      initial={initial}
      onChange={onChange}
      render={(value, change) => (
        <SchemaForm schema={schema} value={value} onChange={change} templates={TEMPLATES} path="params" />
      )}
    />,
  );
  return onChange;
}

describe("SchemaForm (shapes beyond the built-in actions)", () => {
  it("labels a field from its key when the schema has no title, with the description as hint", () => {
    renderForm({ type: "object", properties: { max_items: { type: "integer", description: "At most this many." } } });

    expect(screen.getByRole("spinbutton", { name: "Max items" })).toHaveAccessibleDescription("At most this many.");
  });

  it("renders an enum as a select and a boolean as a checkbox", () => {
    const onChange = renderForm({
      type: "object",
      properties: {
        channel: { type: "string", enum: ["email", "sms"], default: "email", title: "Channel" },
        urgent: { type: "boolean", title: "Urgent" },
      },
    });

    fireEvent.change(screen.getByRole("combobox", { name: "Channel" }), { target: { value: "sms" } });
    fireEvent.click(screen.getByRole("checkbox", { name: "Urgent" }));

    expect(onChange).toHaveBeenLastCalledWith({ channel: "sms", urgent: true });
  });

  it("follows $ref into $defs and unwraps optional (anyOf null) fields", () => {
    const onChange = renderForm({
      type: "object",
      $defs: { Level: { type: "string", enum: ["low", "high"], title: "Level" } },
      properties: {
        level: { anyOf: [{ $ref: "#/$defs/Level" }, { type: "null" }], default: null, title: "Alert level" },
      },
    });

    fireEvent.change(screen.getByRole("combobox", { name: "Alert level" }), { target: { value: "high" } });
    expect(onChange).toHaveBeenLastCalledWith({ level: "high" });
    fireEvent.change(screen.getByRole("combobox", { name: "Alert level" }), { target: { value: "" } });
    expect(onChange).toHaveBeenLastCalledWith({});
  });

  it("edits a list of strings on one line", () => {
    const onChange = renderForm({ type: "object", properties: { tags: { type: "array", items: { type: "string" }, title: "Tags" } } });

    fireEvent.change(screen.getByRole("textbox", { name: "Tags" }), { target: { value: "vip, wholesale" } });

    expect(onChange).toHaveBeenLastCalledWith({ tags: ["vip", "wholesale"] });
  });

  it("edits a nested object in its own group", () => {
    const onChange = renderForm({
      type: "object",
      properties: {
        retry: { type: "object", title: "Retry", properties: { times: { type: "integer", title: "Times", minimum: 0 } } },
      },
    });

    expect(screen.getByRole("group", { name: "Retry" })).toBeInTheDocument();
    fireEvent.change(screen.getByRole("spinbutton", { name: "Times" }), { target: { value: "3" } });

    expect(onChange).toHaveBeenLastCalledWith({ retry: { times: 3 } });
  });

  it("falls back to JSON for unknown shapes and checks it when leaving the field", () => {
    const onChange = renderForm({
      type: "object",
      properties: { headers: { type: "object", additionalProperties: { type: "string" }, title: "Headers" } },
    });

    const json = screen.getByRole("textbox", { name: "Headers" });
    fireEvent.change(json, { target: { value: "{oops" } });
    fireEvent.blur(json);
    expect(onChange).not.toHaveBeenCalled();
    expect(json).toHaveAttribute("aria-invalid", "true");
    expect(json).toHaveAccessibleDescription(/not valid json/i);

    fireEvent.change(json, { target: { value: '{"X-Shop": "demo"}' } });
    fireEvent.blur(json);
    expect(onChange).toHaveBeenLastCalledWith({ headers: { "X-Shop": "demo" } });
    expect(json).not.toHaveAttribute("aria-invalid");
  });

  it("keeps params the schema does not describe, editable", () => {
    renderForm({ type: "object", properties: { tag: { type: "string", title: "Tag" } } }, { tag: "vip", legacy: 1 });

    expect(screen.getByRole("textbox", { name: "Other parameters" })).toHaveValue('{\n  "legacy": 1\n}');
  });

  it("picks a published template for a field hinted `x-widget: template`, whatever its name", () => {
    const onChange = renderForm({
      type: "object",
      properties: {
        layout: { type: "string", title: "Layout", "x-widget": "template" },
        template: { type: "string", title: "Plain text" },
      },
    });

    const picker = screen.getByRole("combobox", { name: "Layout" });
    expect([...picker.querySelectorAll("option")].map((option) => option.value)).toEqual(["", ...TEMPLATES]);
    fireEvent.change(picker, { target: { value: "cart-discount" } });
    expect(onChange).toHaveBeenLastCalledWith({ layout: "cart-discount" });
    expect(screen.getByRole("textbox", { name: "Plain text" })).toBeInTheDocument(); // the name alone is no hint
  });

  it("uses the URL input type for uri fields", () => {
    renderForm({ type: "object", properties: { url: { type: "string", format: "uri", title: "URL" } } });

    expect(screen.getByLabelText("URL")).toHaveAttribute("type", "url");
  });
});
