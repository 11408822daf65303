import { describe, expect, it } from "vitest";
import type { Catalog, Step } from "../definition/definition";
import {
  canMove,
  deleteStep,
  duplicateStep,
  findStep,
  insertStep,
  moveStep,
  newStep,
  replaceStep,
  stepIds,
} from "./edit-definition";
import { catalog, everyStepType, nested } from "../test/sample-definitions";

const wait = (id: string): Step => ({ id, type: "wait", duration: "5m" });
const rootIds = (steps: Step[]) => steps.map((step) => step.id);

describe("editing a definition", () => {
  it("inserts at the start, between two steps and at the end of the top level", () => {
    let definition = insertStep(everyStepType, { list: { kind: "root" }, index: 0 }, wait("first"));
    definition = insertStep(definition, { list: { kind: "root" }, index: 2 }, wait("second"));
    definition = insertStep(definition, { list: { kind: "root" }, index: definition.steps.length }, wait("last"));
    expect(rootIds(definition.steps)).toEqual(["first", "wait-1", "second", "morning", "email-1", "vip?", "subject-test", "click?", "last"]);
    expect(rootIds(everyStepType.steps)).toHaveLength(6); // the input is untouched
  });

  it("inserts into a branch, an empty branch, an absent branch and a variant", () => {
    let definition = insertStep(everyStepType, { list: { kind: "branch", owner: "vip?", branch: "else" }, index: 1 }, wait("w-else"));
    definition = insertStep(definition, { list: { kind: "branch", owner: "click?", branch: "on_event" }, index: 0 }, wait("w-event"));
    definition = insertStep(definition, { list: { kind: "variant", owner: "subject-test", variant: 1 }, index: 0 }, wait("w-friendly"));
    definition = insertStep(nested, { list: { kind: "variant", owner: "split", variant: 1 }, index: 0 }, wait("w-b"));
    expect(findStep(definition.steps, "w-b")).toMatchObject({ list: { kind: "variant", owner: "split", variant: 1 }, index: 0 });
    const inner = findStep(definition.steps, "inner")?.step;
    expect(inner?.type === "condition" && inner.then).toBeUndefined(); // untouched absent branch stays absent
  });

  it("inserts into nested branches", () => {
    const definition = insertStep(nested, { list: { kind: "branch", owner: "inner", branch: "then" }, index: 0 }, wait("deep"));
    expect(findStep(definition.steps, "deep")).toMatchObject({ list: { kind: "branch", owner: "inner", branch: "then" }, index: 0, count: 1 });
  });

  it("deletes a step with everything in its branches", () => {
    const definition = deleteStep(everyStepType, "vip?");
    expect(rootIds(definition.steps)).not.toContain("vip?");
    expect(stepIds(definition.steps).has("code-vip")).toBe(false);
    expect(stepIds(deleteStep(nested, "wait-a").steps).has("wait-a")).toBe(false);
  });

  it("duplicates a step deeply with fresh unique ids, right after the original", () => {
    const result = duplicateStep(everyStepType, "vip?");
    expect(result?.id).toBe("vip?-copy");
    const steps = result?.definition.steps ?? [];
    expect(rootIds(steps).slice(3, 5)).toEqual(["vip?", "vip?-copy"]);
    const copy = findStep(steps, "vip?-copy")?.step;
    expect(copy).toMatchObject({ then: [{ id: "code-vip-copy" }], else: [{ id: "code-std-copy" }] });
    const again = duplicateStep(result?.definition ?? everyStepType, "vip?");
    expect(again?.id).toBe("vip?-copy-2");
    const all = [...stepIds(again?.definition.steps ?? [])];
    expect(new Set(all).size).toBe(all.length);
  });

  it("moves a step up and down within its list, and not past either end", () => {
    const down = moveStep(everyStepType, "wait-1", 1);
    expect(rootIds(down.steps).slice(0, 2)).toEqual(["morning", "wait-1"]);
    expect(moveStep(everyStepType, "wait-1", -1)).toBe(everyStepType);
    expect(canMove(everyStepType, "wait-1", -1)).toBe(false);
    expect(canMove(everyStepType, "click?", 1)).toBe(false);
    const inBranch = moveStep(nested, "after-split", -1);
    const outer = findStep(inBranch.steps, "outer")?.step;
    expect(outer?.type === "condition" && outer.then?.map((step) => step.id)).toEqual(["after-split", "split"]);
  });

  it("replaces a step in place, nested too", () => {
    const definition = replaceStep(everyStepType, { id: "code-std", type: "action", action: "create_discount", params: { percent: 12 } });
    expect(findStep(definition.steps, "code-std")?.step).toMatchObject({ params: { percent: 12 } });
    expect(findStep(definition.steps, "code-std")?.list).toEqual({ kind: "branch", owner: "vip?", branch: "else" });
  });
});

describe("newStep", () => {
  const taken = stepIds(everyStepType.steps);

  it("makes sensible defaults with ids nobody uses", () => {
    expect(newStep({ type: "wait" }, catalog, taken)).toEqual({ id: "wait-2", type: "wait", duration: "1h" });
    expect(newStep({ type: "wait_until" }, catalog, taken)).toMatchObject({ time: "09:00", timezone: "customer" });
    expect(newStep({ type: "wait_for_event" }, catalog, taken)).toMatchObject({ event: "email_clicked", timeout: "48h" });
    expect(newStep({ type: "condition" }, catalog, taken)).toMatchObject({ if: { field: "cart.total" }, then: [], else: [] });
    expect(newStep({ type: "ab_split" }, catalog, taken)).toMatchObject({
      variants: [{ weight: 50 }, { weight: 50 }],
    });
    expect(newStep({ type: "exit" }, catalog, taken)).toMatchObject({ outcome: "completed" });
  });

  it("fills an action's params from its schema and the catalog", () => {
    expect(newStep({ type: "action", action: "send_email" }, catalog, taken)).toEqual({
      id: "email-2",
      type: "action",
      action: "send_email",
      params: { template: "cart-reminder", subject: "You left something in your cart" },
    });
    expect(newStep({ type: "action", action: "create_discount" }, catalog, taken)).toMatchObject({
      id: "create-discount-1",
      params: { percent: 10, expires_in: "7d", prefix: "SAVE" },
    });
    expect(newStep({ type: "action", action: "tag_customer" }, catalog, taken)).toMatchObject({ params: { tag: "" } });
  });

  it("gives a custom action the built-in ones' treatment through its schema's hints", () => {
    const sms: Catalog["actions"][number] = {
      name: "send_sms",
      label: "Send SMS",
      category: "Messages",
      description: "A text message.",
      messages_customer: true,
      params_schema: {
        type: "object",
        "x-step-id": "sms",
        properties: {
          layout: { type: "string", default: "not-published", title: "Layout", "x-widget": "template" },
          greeting: { type: "string", title: "Greeting", "x-suggested": "Hi!" },
          retries: { type: "integer", default: 1, title: "Retries", "x-suggested": 3 },
          template: { type: "string", default: "as-is", title: "Not a template" },
        },
      },
    };
    const withSms = { ...catalog, actions: [...catalog.actions, sms] };

    expect(newStep({ type: "action", action: "send_sms" }, withSms, new Set(["sms-1"]))).toEqual({
      id: "sms-2",
      type: "action",
      action: "send_sms",
      params: { layout: "cart-discount", greeting: "Hi!", retries: 3, template: "as-is" },
    });
    const unhinted = { ...sms, name: "send_fax", params_schema: { type: "object", properties: {} } };
    expect(newStep({ type: "action", action: "send_fax" }, { ...catalog, actions: [unhinted] }, taken).id).toBe("send-fax-1");
  });

  it("never reuses an id", () => {
    const ids = new Set(["wait-1", "wait-2"]);
    expect(newStep({ type: "wait" }, catalog, ids).id).toBe("wait-3");
    expect(ids.size).toBe(2); // the caller's set is not changed
  });
});
