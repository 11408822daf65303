/**
 * The automation drawn as a top-down tree (React Flow). The canvas never edits anything
 * itself: it shows `definition`, reports which node was selected and where a step should be
 * inserted, and the editor page turns those into edits.
 */
import {
  Background,
  Controls,
  Position,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  useReactFlow,
  type AriaLabelConfig,
  type NodeChange,
  type ReactFlowInstance,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo, useRef, useState } from "react";
import type { Problem } from "../api/client";
import type { Catalog, Definition } from "../definition/definition";
import { useT, type Translate } from "../i18n/i18n";
import { CanvasContext, badgesText, type CanvasContextValue, type StepBadge } from "./canvas-context";
import type { NewStepKind } from "./edit-definition";
import { EDGE_TYPES } from "./flow-edge";
import { NODE_TYPES } from "./flow-nodes";
import { NODE_SIZES, layoutCanvas } from "./layout";
import { stepNodeLabel, triggerNodeLabel } from "./step-summary";
import { TRIGGER_NODE_ID, toCanvas, type CanvasNode, type FlowEdge, type InsertPoint } from "./to-definition";
import "./flow-canvas.css";

export interface FlowCanvasProps {
  definition: Definition;
  catalog: Catalog;
  problems: readonly Problem[];
  /** A step id, `TRIGGER_NODE_ID`, or nothing. */
  selectedId: string | null;
  readOnly: boolean;
  onSelect: (nodeId: string) => void;
  onInsert: (at: InsertPoint, kind: NewStepKind) => void;
  /** Badges with each step's figures (results, a simulation's). */
  stepBadges?: ReadonlyMap<string, readonly StepBadge[]> | undefined;
}

/** Problems per node: those without a step (trigger, settings, name) go to the trigger. */
export function countProblems(problems: readonly Problem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const node = problem.step_id ?? TRIGGER_NODE_ID;
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}

/** React Flow's view of a node: size, handles, and what keyboard and screen reader users get. */
function decorate(
  node: CanvasNode,
  catalog: Catalog,
  counts: ReadonlyMap<string, number>,
  selectedId: string | null,
  stepBadges: ReadonlyMap<string, readonly StepBadge[]> | undefined,
  t: Translate,
): CanvasNode {
  const { width, height } = NODE_SIZES[node.type];
  const common = {
    width,
    height,
    draggable: false,
    connectable: false,
    deletable: false,
    handles: [
      { type: "target" as const, position: Position.Top, x: width / 2, y: 0 },
      { type: "source" as const, position: Position.Bottom, x: width / 2, y: height },
    ],
  };
  const problems = counts.get(node.id) ?? 0;
  const marked = problems > 0 ? " flow-node-wrapper--problem" : "";
  switch (node.type) {
    case "trigger":
      return {
        ...node,
        ...common,
        selected: node.id === selectedId,
        ariaRole: "button",
        ariaLabel: triggerNodeLabel(node.data.header.trigger, problems, t),
        className: `flow-node-wrapper${marked}`,
      };
    case "step":
      return {
        ...node,
        ...common,
        selected: node.id === selectedId,
        ariaRole: "button",
        ariaLabel: withBadges(stepNodeLabel(node.data.step, catalog, problems, t), stepBadges?.get(node.id)),
        className: `flow-node-wrapper${marked}`,
      };
    default:
      return { ...node, ...common, selectable: false, focusable: false, domAttributes: { "aria-hidden": true } };
  }
}

function withBadges(label: string, badges: readonly StepBadge[] | undefined): string {
  return badges === undefined || badges.length === 0 ? label : `${label}; ${badgesText(badges)}`;
}

// A long flow opens at a readable size, top first, rather than shrunk to fit.
const READABLE_ZOOM = 0.75;

function openingView(instance: ReactFlowInstance<CanvasNode, FlowEdge>, container: HTMLElement | null) {
  const width = container?.clientWidth ?? 0;
  const height = container?.clientHeight ?? 0;
  const nodes = instance.getNodes();
  const trigger = nodes.find((node) => node.id === TRIGGER_NODE_ID);
  if (width === 0 || height === 0 || !trigger) return;
  const right = Math.max(...nodes.map((node) => node.position.x + (node.width ?? 0)));
  const bottom = Math.max(...nodes.map((node) => node.position.y + (node.height ?? 0)));
  const fits = Math.min(width / (right + 32), height / (bottom + 32));
  if (fits >= READABLE_ZOOM) {
    void instance.fitView({ maxZoom: 1, padding: 0.05 });
    return;
  }
  const centre = trigger.position.x + NODE_SIZES.trigger.width / 2;
  void instance.setViewport({ x: width / 2 - centre * READABLE_ZOOM, y: 16, zoom: READABLE_ZOOM });
}

function Canvas({ definition, catalog, problems, selectedId, readOnly, onSelect, onInsert, stepBadges }: FlowCanvasProps) {
  const container = useRef<HTMLDivElement>(null);
  const flow = useReactFlow<CanvasNode, FlowEdge>();
  const t = useT();
  const counts = useMemo(() => countProblems(problems), [problems]);
  const laid = useMemo(() => {
    const canvas = layoutCanvas(toCanvas(definition, t));
    const edges = canvas.edges.map((edge) => ({ ...edge, ariaLabel: t("flow-editor.canvas.edge", { source: edge.source, target: edge.target }) }));
    return { ...canvas, edges };
  }, [definition, t]);
  const ariaLabels = useMemo<Partial<AriaLabelConfig>>(
    () => ({
      "node.a11yDescription.default": t("flow-editor.canvas.node-help"),
      "controls.ariaLabel": t("flow-editor.canvas.controls"),
      "controls.zoomIn.ariaLabel": t("flow-editor.canvas.zoom-in"),
      "controls.zoomOut.ariaLabel": t("flow-editor.canvas.zoom-out"),
      "controls.fitView.ariaLabel": t("flow-editor.canvas.fit-view"),
    }),
    [t],
  );
  const decorated = useMemo(
    () => laid.nodes.map((node) => decorate(node, catalog, counts, selectedId, stepBadges, t)),
    [laid, catalog, counts, selectedId, stepBadges, t],
  );
  // React Flow keeps measurements on the nodes it is given: hold them in state.
  const [nodes, setNodes] = useState<CanvasNode[]>(decorated);
  useEffect(() => {
    setNodes((current) => {
      const measured = new Map(current.map((node) => [node.id, node.measured]));
      return decorated.map((node) => {
        const size = measured.get(node.id);
        return size === undefined ? node : { ...node, measured: size };
      });
    });
  }, [decorated]);

  // Bring a selected node into view when it is off screen (a new step, a problem clicked).
  useEffect(() => {
    if (selectedId === null || !container.current) return;
    const node = laid.nodes.find((item) => item.id === selectedId);
    if (!node) return;
    const { x, y, zoom } = flow.getViewport();
    const { width, height } = NODE_SIZES[node.type];
    const left = node.position.x * zoom + x;
    const top = node.position.y * zoom + y;
    const box = container.current;
    const visible = left >= 0 && top >= 0 && left + width * zoom <= box.clientWidth && top + height * zoom <= box.clientHeight;
    if (!visible && box.clientWidth > 0) {
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom, duration: 200 });
    }
  }, [selectedId, laid, flow]);

  const context = useMemo<CanvasContextValue>(
    () => ({ catalog, readOnly, problemCounts: counts, onInsert, stepBadges }),
    [catalog, readOnly, counts, onInsert, stepBadges],
  );

  const onNodesChange = (changes: NodeChange<CanvasNode>[]) => {
    setNodes((current) => applyNodeChanges(changes.filter((change) => change.type !== "select"), current));
    // Enter or Space on a focused node selects it (React Flow reports it as a change).
    const picked = changes.find((change) => change.type === "select" && change.selected);
    if (picked && picked.type === "select") onSelect(picked.id);
  };

  return (
    <CanvasContext.Provider value={context}>
      <div className="flow-canvas" ref={container}>
        <ReactFlow<CanvasNode, FlowEdge>
          nodes={nodes}
          edges={laid.edges}
          nodeTypes={NODE_TYPES}
          edgeTypes={EDGE_TYPES}
          onNodesChange={onNodesChange}
          onNodeClick={(_event, node) => {
            if (node.type === "step" || node.type === "trigger") onSelect(node.id);
          }}
          onInit={(instance) => openingView(instance, container.current)}
          nodesDraggable={false}
          nodesConnectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          panOnScroll
          minZoom={0.3}
          maxZoom={1.5}
          ariaLabelConfig={ariaLabels}
        >
          <Background gap={24} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </CanvasContext.Provider>
  );
}

export function FlowCanvas(props: FlowCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
