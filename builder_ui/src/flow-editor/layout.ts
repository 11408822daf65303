/**
 * Where each node goes: dagre lays the canvas out top-down (the trigger first, branches side
 * by side). Positions live only here and on the drawn nodes, never in the definition.
 */
import { Graph, layout } from "@dagrejs/dagre";
import type { Canvas, CanvasNode } from "./to-definition";

/** The size each kind of node is drawn at (flow-canvas.css keeps them in step). */
export const NODE_SIZES: Record<CanvasNode["type"], { width: number; height: number }> = {
  trigger: { width: 260, height: 64 },
  step: { width: 260, height: 64 },
  join: { width: 12, height: 12 },
  empty: { width: 88, height: 26 },
  end: { width: 80, height: 28 },
};

// Room between ranks for an edge's label and its "+" button.
const RANK_GAP = 72;
const NODE_GAP = 48;

export function layoutCanvas(canvas: Canvas): Canvas {
  const graph = new Graph();
  graph.setGraph({ rankdir: "TB", ranksep: RANK_GAP, nodesep: NODE_GAP, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of canvas.nodes) graph.setNode(node.id, { ...NODE_SIZES[node.type] });
  // dagre orders the targets of a node right to left in the order its edges came in: feed
  // them reversed so branches read left to right as in the definition (then, else; a, b).
  for (const edge of [...canvas.edges].reverse()) graph.setEdge(edge.source, edge.target);
  // A join every branch of which exits has no edge in: keep it below its step all the same.
  for (const node of canvas.nodes) {
    if (node.type === "join" && !graph.hasEdge(node.data.owner, node.id)) graph.setEdge(node.data.owner, node.id, { weight: 0 });
  }
  layout(graph);

  const nodes = canvas.nodes.map((node): CanvasNode => {
    const placed = graph.node(node.id) as { x: number; y: number } | undefined;
    const { width, height } = NODE_SIZES[node.type];
    // dagre gives centres; React Flow wants top-left corners.
    const position = placed ? { x: placed.x - width / 2, y: placed.y - height / 2 } : node.position;
    return { ...node, position, width, height };
  });
  return { nodes, edges: canvas.edges };
}
