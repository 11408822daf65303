/** An edge of the canvas: its branch label ("then", "urgency 50%") and its "+" button. */
import { BaseEdge, EdgeLabelRenderer, getSmoothStepPath, type EdgeProps } from "@xyflow/react";
import { AddStepMenu } from "./add-step-menu";
import { useCanvasContext } from "./canvas-context";
import type { FlowEdge } from "./to-definition";

export function FlowEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  markerEnd,
}: EdgeProps<FlowEdge>) {
  const { catalog, readOnly, onInsert } = useCanvasContext();
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 8,
  });
  // A branch's label sits just above the branch's first node: branches leaving one step share
  // their first stretch, where labels at the midpoint would pile up.
  const [x, y] = data?.role === "branch" ? [targetX, targetY - 20] : [labelX, labelY];
  const showsSomething = data !== undefined && data.role !== "line" && (data.label !== undefined || !readOnly);
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd === undefined ? {} : { markerEnd })} />
      {showsSomething ? (
        <EdgeLabelRenderer>
          <div
            className="flow-edge__label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
          >
            {data.label !== undefined ? <span className="flow-edge__branch">{data.label}</span> : null}
            {readOnly ? null : (
              <AddStepMenu label={data.addLabel} catalog={catalog} onPick={(kind) => onInsert(data.insert, kind)} />
            )}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
}

export const EDGE_TYPES = { flow: FlowEdgeView };
