/**
 * The one boundary between an automation definition and the canvas (React Flow nodes and
 * edges): `toCanvas` draws a definition, `toDefinition` reads it back, losslessly.
 *
 * The canvas carries the tree's structure in its edges, not in its nodes: a step node holds
 * the step's own fields with its branches emptied (a "shell"), and the edges say what
 * follows what. Every branching step (condition, A/B split, wait for event) gets a join node
 * where its branches meet again, so "after the condition" has its own edge, and an empty
 * branch is an edge straight from the step to its join. Every edge knows where a step
 * inserted on it would go (`insert`), which is what its "+" button uses.
 *
 * Positions are not here: `layout.ts` computes them, and they never enter the definition.
 */
import type { Edge, Node } from "@xyflow/react";
import type { Definition, Step } from "../definition/definition";
import type { Translate } from "../i18n/i18n";
import { inEnglish } from "./step-summary";

export type BranchName = "then" | "else" | "on_event" | "on_timeout";

/** Which list of steps: the top level, a named branch, or an A/B variant (by position). */
export type ListRef =
  | { kind: "root" }
  | { kind: "branch"; owner: string; branch: BranchName }
  | { kind: "variant"; owner: string; variant: number };

/** A place in a list: inserting there puts the new step at `index`. */
export interface InsertPoint {
  list: ListRef;
  index: number;
}

// Step ids may not contain parentheses, so these never collide with one.
export const TRIGGER_NODE_ID = "(trigger)";
export const END_NODE_ID = "(end)";
export function joinNodeId(stepId: string): string {
  return `(join)${stepId}`;
}
/** The placeholder an empty branch is drawn through, so it gets its own edge and "+". */
export function emptyBranchNodeId(stepId: string, branchIndex: number): string {
  return `(empty)${stepId}#${branchIndex}`;
}

/** Everything of a definition but its steps: what the trigger's panel edits. */
export type DefinitionHeader = Omit<Definition, "steps">;

export type TriggerNodeData = { header: DefinitionHeader };
/** `step` is the step with its branch lists emptied (see `shellOf`). */
export type StepNodeData = { step: Step };
export type JoinNodeData = { owner: string };
export type EmptyBranchNodeData = { owner: string; label: string };
export type EndNodeData = Record<string, never>;

export type TriggerNode = Node<TriggerNodeData, "trigger">;
export type StepNode = Node<StepNodeData, "step">;
export type JoinNode = Node<JoinNodeData, "join">;
export type EmptyBranchNode = Node<EmptyBranchNodeData, "empty">;
export type EndNode = Node<EndNodeData, "end">;
export type CanvasNode = TriggerNode | StepNode | JoinNode | EmptyBranchNode | EndNode;

/**
 * `next`: what follows the source in its list; `branch`: the first step of one of the
 * source's branches (`label` names the branch); `line`: from an empty branch's placeholder
 * to the join, only drawn (its branch's edge already has the "+").
 */
export type FlowEdgeData = {
  role: "next" | "branch" | "line";
  insert: InsertPoint;
  /** The accessible name of the edge's "+" button. */
  addLabel: string;
  label?: string;
};
export type FlowEdge = Edge<FlowEdgeData, "flow">;

export interface Canvas {
  nodes: CanvasNode[];
  edges: FlowEdge[];
}

type StepList = Step[];

export function isBranching(step: Step): boolean {
  return step.type === "condition" || step.type === "ab_split" || step.type === "wait_for_event";
}

/** The branches nested directly in a step, each with its list and label (in `t`'s language), in order. */
export function branchesOf(step: Step, t: Translate = inEnglish): { list: ListRef; label: string; steps: StepList }[] {
  switch (step.type) {
    case "condition":
      return [
        { list: { kind: "branch", owner: step.id, branch: "then" }, label: t("flow-editor.branch.then"), steps: step.then ?? [] },
        { list: { kind: "branch", owner: step.id, branch: "else" }, label: t("flow-editor.branch.else"), steps: step.else ?? [] },
      ];
    case "wait_for_event":
      return [
        { list: { kind: "branch", owner: step.id, branch: "on_event" }, label: t("flow-editor.branch.event"), steps: step.on_event ?? [] },
        { list: { kind: "branch", owner: step.id, branch: "on_timeout" }, label: t("flow-editor.branch.timeout"), steps: step.on_timeout ?? [] },
      ];
    case "ab_split":
      return step.variants.map((variant, index) => ({
        list: { kind: "variant", owner: step.id, variant: index },
        label: t("flow-editor.branch.variant", { name: variant.name, weight: variant.weight }),
        steps: variant.steps ?? [],
      }));
    default:
      return [];
  }
}

/** The step with its branch lists emptied (a list that was absent stays absent). */
export function shellOf(step: Step): Step {
  switch (step.type) {
    case "condition": {
      const shell = { ...step };
      if (shell.then !== undefined) shell.then = [];
      if (shell.else !== undefined) shell.else = [];
      return shell;
    }
    case "wait_for_event": {
      const shell = { ...step };
      if (shell.on_event !== undefined) shell.on_event = [];
      if (shell.on_timeout !== undefined) shell.on_timeout = [];
      return shell;
    }
    case "ab_split":
      return {
        ...step,
        variants: step.variants.map((variant) =>
          variant.steps === undefined ? { ...variant } : { ...variant, steps: [] },
        ),
      };
    default:
      return { ...step };
  }
}

function addLabelFor(list: ListRef, label: string, t: Translate): string {
  return list.kind === "root" ? t("flow-editor.add.after-trigger") : t("flow-editor.add.to-branch", { branch: label, id: list.owner });
}

/** Draws a definition: nodes (positions at 0; see `layout.ts`) and edges, labelled in `t`'s language. */
export function toCanvas(definition: Definition, t: Translate = inEnglish): Canvas {
  const { steps, ...header } = definition;
  const nodes: CanvasNode[] = [
    { id: TRIGGER_NODE_ID, type: "trigger", position: { x: 0, y: 0 }, data: { header } },
  ];
  const edges: FlowEdge[] = [];
  const edge = (source: string, target: string, data: FlowEdgeData) => {
    edges.push({ id: `${source}->${target}#${edges.length}`, source, target, type: "flow", data });
  };

  /** Draws a list from `entry` (with the edge data reaching its first step) to `exit`. */
  const drawList = (list: ListRef, items: StepList, from: string, into: FlowEdgeData, exit: string) => {
    let source = from;
    let reaching = into;
    items.forEach((step, index) => {
      edge(source, step.id, reaching);
      nodes.push({ id: step.id, type: "step", position: { x: 0, y: 0 }, data: { step: shellOf(step) } });
      let last = step.id;
      if (isBranching(step)) {
        const join = joinNodeId(step.id);
        branchesOf(step, t).forEach((branch, branchIndex) => {
          const start: FlowEdgeData = {
            role: "branch",
            insert: { list: branch.list, index: 0 },
            addLabel: addLabelFor(branch.list, branch.label, t),
            label: branch.label,
          };
          if (branch.steps.length > 0) {
            drawList(branch.list, branch.steps, step.id, start, join);
            return;
          }
          // Two empty branches straight into the join would be drawn on top of each other.
          const empty = emptyBranchNodeId(step.id, branchIndex);
          nodes.push({ id: empty, type: "empty", position: { x: 0, y: 0 }, data: { owner: step.id, label: branch.label } });
          edge(step.id, empty, start);
          edge(empty, join, { ...start, role: "line" });
        });
        nodes.push({ id: join, type: "join", position: { x: 0, y: 0 }, data: { owner: step.id } });
        last = join;
      }
      source = last;
      reaching = { role: "next", insert: { list, index: index + 1 }, addLabel: t("flow-editor.add.after-step", { id: step.id }) };
    });
    // Nothing runs after an exit at the end of a list: no edge, so no "+" there either.
    const final = items[items.length - 1];
    if (final?.type === "exit") return;
    edge(source, exit, reaching);
  };

  const rootStart: FlowEdgeData = {
    role: "next",
    insert: { list: { kind: "root" }, index: 0 },
    addLabel: addLabelFor({ kind: "root" }, "", t),
  };
  drawList({ kind: "root" }, steps, TRIGGER_NODE_ID, rootStart, END_NODE_ID);
  // A flow that ends with an exit never reaches the end.
  if (edges.some((edge) => edge.target === END_NODE_ID)) {
    nodes.push({ id: END_NODE_ID, type: "end", position: { x: 0, y: 0 }, data: {} });
  }
  return { nodes, edges };
}

/** Reads a canvas back into the definition it draws (the inverse of `toCanvas`). */
/** The step with these branch lists; a list that is `undefined` is left out, not written as
 * `undefined`, so a definition round-trips key for key. */
function withLists<S extends Step>(step: S, lists: Partial<Record<keyof S, StepList | undefined>>): S {
  const copy = { ...step };
  for (const [key, list] of Object.entries(lists) as [keyof S, StepList | undefined][]) {
    if (list === undefined) delete copy[key];
    else copy[key] = list as S[keyof S];
  }
  return copy;
}

export function toDefinition(canvas: Canvas): Definition {
  const byId = new Map(canvas.nodes.map((node) => [node.id, node]));
  const outgoing = new Map<string, FlowEdge[]>();
  for (const edge of canvas.edges) outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  const nextOf = (id: string) => outgoing.get(id)?.find((edge) => edge.data?.role === "next")?.target;
  const branchStart = (owner: string, matches: (list: ListRef) => boolean) =>
    outgoing.get(owner)?.find((edge) => edge.data?.role === "branch" && matches(edge.data.insert.list))?.target;

  const readList = (first: string | undefined, stop: string): StepList => {
    const items: StepList = [];
    const seen = new Set<string>();
    let current = first;
    while (current !== undefined && current !== stop) {
      if (seen.has(current)) throw new Error(`the canvas loops at ${current}`);
      seen.add(current);
      const node = byId.get(current);
      if (node?.type === "empty") break;
      if (node?.type !== "step") throw new Error(`the canvas has no step node ${current}`);
      const step = withBranches(node.data.step);
      items.push(step);
      current = nextOf(isBranching(step) ? joinNodeId(step.id) : step.id);
    }
    return items;
  };

  const namedBranch = (owner: string, branch: BranchName, had: StepList | undefined) => {
    const start = branchStart(owner, (list) => list.kind === "branch" && list.branch === branch);
    const items = readList(start, joinNodeId(owner));
    return had === undefined && items.length === 0 ? undefined : items;
  };

  const withBranches = (shell: Step): Step => {
    switch (shell.type) {
      case "condition":
        return withLists(shell, {
          then: namedBranch(shell.id, "then", shell.then),
          else: namedBranch(shell.id, "else", shell.else),
        });
      case "wait_for_event":
        return withLists(shell, {
          on_event: namedBranch(shell.id, "on_event", shell.on_event),
          on_timeout: namedBranch(shell.id, "on_timeout", shell.on_timeout),
        });
      case "ab_split":
        return {
          ...shell,
          variants: shell.variants.map((variant, index) => {
            const start = branchStart(shell.id, (list) => list.kind === "variant" && list.variant === index);
            const items = readList(start, joinNodeId(shell.id));
            return variant.steps === undefined && items.length === 0 ? { ...variant } : { ...variant, steps: items };
          }),
        };
      default:
        return { ...shell };
    }
  };

  const trigger = byId.get(TRIGGER_NODE_ID);
  if (trigger?.type !== "trigger") throw new Error("the canvas has no trigger node");
  return { ...trigger.data.header, steps: readList(nextOf(TRIGGER_NODE_ID), END_NODE_ID) };
}
