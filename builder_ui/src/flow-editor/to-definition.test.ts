import { describe, expect, it } from "vitest";
import type { Definition, Step } from "../definition/definition";
import { everyStepType, nested } from "../test/sample-definitions";
import { END_NODE_ID, emptyBranchNodeId, joinNodeId, toCanvas, toDefinition, TRIGGER_NODE_ID, type FlowEdge } from "./to-definition";

const header = { name: "One step", trigger: { event: "cart_abandoned" as const, filters: null } };
const oneOf = (step: Step): Definition => ({ ...header, steps: [step] });

const edgeBetween = (edges: FlowEdge[], source: string, target: string) =>
  edges.find((edge) => edge.source === source && edge.target === target);

describe("canvas ⇄ definition", () => {
  const singles: [string, Step][] = [
    ["wait", { id: "w", type: "wait", duration: "90s" }],
    ["wait_until", { id: "wu", type: "wait_until", time: "09:00", days: ["sat"], timezone: "Europe/Paris" }],
    ["wait_for_event", { id: "we", type: "wait_for_event", event: "order_placed", timeout: "7d", on_event: [{ id: "x", type: "exit", outcome: "bought" }], on_timeout: [] }],
    ["condition", { id: "c?", type: "condition", if: { not: { field: "customer.segment", op: "in", value: ["vip", "new"] } }, then: [{ id: "t", type: "wait", duration: "1h" }] }],
    ["ab_split", { id: "ab", type: "ab_split", variants: [{ name: "x", weight: 1, steps: [] }, { name: "y", weight: 3 }] }],
    ["action", { id: "a", type: "action", action: "send_webhook", params: { url: "https://example.com/hook", event: "journey.step" } }],
    ["exit", { id: "e", type: "exit", outcome: "lost" }],
  ];

  it.each(singles)("round-trips a %s step losslessly", (_type, step) => {
    const definition = oneOf(step);
    expect(toDefinition(toCanvas(definition))).toStrictEqual(definition);
  });

  it("round-trips DESIGN.md's example with every step type", () => {
    expect(toDefinition(toCanvas(everyStepType))).toStrictEqual(everyStepType);
  });

  it("round-trips branches inside branches, absent and empty lists, steps after an exit", () => {
    expect(toDefinition(toCanvas(nested))).toStrictEqual(nested);
  });

  it("gives step nodes the step ids and keeps branches out of them", () => {
    const { nodes } = toCanvas(everyStepType);
    const ids = nodes.map((node) => node.id);
    expect(ids[0]).toBe(TRIGGER_NODE_ID);
    expect(ids).toEqual(expect.arrayContaining(["wait-1", "vip?", "code-vip", "email-2b", "lost", joinNodeId("vip?"), END_NODE_ID]));
    const condition = nodes.find((node) => node.id === "vip?");
    expect(condition?.type === "step" && condition.data.step).toMatchObject({ then: [], else: [] });
  });

  it("labels branch edges and says where their + inserts", () => {
    const { edges } = toCanvas(everyStepType);
    expect(edgeBetween(edges, "vip?", "code-vip")?.data).toMatchObject({
      label: "then",
      addLabel: "Add a step to the then branch of vip?",
      insert: { list: { kind: "branch", owner: "vip?", branch: "then" }, index: 0 },
    });
    expect(edgeBetween(edges, "vip?", "code-std")?.data?.label).toBe("else");
    expect(edgeBetween(edges, "subject-test", "email-2a")?.data?.label).toBe("urgency 50%");
    expect(edgeBetween(edges, "click?", emptyBranchNodeId("click?", 0))?.data?.label).toBe("event");
    expect(edgeBetween(edges, "click?", "lost")?.data?.label).toBe("timeout");
    expect(edgeBetween(edges, TRIGGER_NODE_ID, "wait-1")?.data?.addLabel).toBe("Add a step after the trigger");
    expect(edgeBetween(edges, "wait-1", "morning")?.data).toMatchObject({
      addLabel: "Add a step after wait-1",
      insert: { list: { kind: "root" }, index: 1 },
    });
    // After a branching step, the edge leaving its join inserts after it in its own list.
    expect(edgeBetween(edges, joinNodeId("vip?"), "subject-test")?.data).toMatchObject({
      addLabel: "Add a step after vip?",
      insert: { list: { kind: "root" }, index: 4 },
    });
    // The end of a branch flows into the join, inserting at the branch's end.
    expect(edgeBetween(edges, "code-vip", joinNodeId("vip?"))?.data).toMatchObject({
      addLabel: "Add a step after code-vip",
      insert: { list: { kind: "branch", owner: "vip?", branch: "then" }, index: 1 },
    });
  });

  it("draws nothing after an exit that ends its list, and no end a flow cannot reach", () => {
    const { nodes, edges } = toCanvas(everyStepType);
    expect(edges.filter((edge) => edge.source === "lost")).toEqual([]);
    expect(toCanvas(nested).nodes.some((node) => node.id === END_NODE_ID)).toBe(false);
    expect(nodes.some((node) => node.id === END_NODE_ID)).toBe(true); // click? flows on to the end
  });

  it("draws each empty branch through its own placeholder, so each has its own +", () => {
    const empty: Definition = { ...header, steps: [{ id: "c", type: "condition", if: { field: "cart.total", op: "gt", value: 1 }, then: [], else: [] }] };
    const { edges } = toCanvas(empty);
    const starts = edges.filter((edge) => edge.source === "c");
    expect(starts.map((edge) => edge.target)).toEqual([emptyBranchNodeId("c", 0), emptyBranchNodeId("c", 1)]);
    expect(starts.map((edge) => edge.data?.addLabel)).toEqual(["Add a step to the then branch of c", "Add a step to the else branch of c"]);
    expect(toDefinition(toCanvas(empty))).toStrictEqual(empty);
  });

  it("every edge has a unique id", () => {
    const { edges } = toCanvas(nested);
    expect(new Set(edges.map((edge) => edge.id)).size).toBe(edges.length);
  });
});
