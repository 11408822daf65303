/**
 * The canvas's custom nodes. Their accessible names are set on React Flow's node wrapper
 * (`ariaLabel`, see flow-canvas.tsx), which is the focusable, selectable element; what is
 * drawn here is the visual card, so it holds no controls of its own. The card's text reads
 * as a part of that name, in the same order (screen-reader and voice-control users say
 * what they see).
 */
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { useT } from "../i18n/i18n";
import { badgesText, useCanvasContext, type StepBadge } from "./canvas-context";
import { StepIcon } from "./step-icon";
import { stepSummary, triggerSummary } from "./step-summary";
import type { EmptyBranchNode, EndNode, JoinNode, StepNode, TriggerNode } from "./to-definition";
import { TRIGGER_NODE_ID } from "./to-definition";

function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} className="flow-node__handle" />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="flow-node__handle" />
    </>
  );
}

/** Its text ends the node's accessible name too (see `problemSuffix`). */
function ProblemBadge({ count }: { count: number }) {
  const t = useT();
  if (count === 0) return null;
  return (
    <>
      {" "}
      <span className="flow-node__problems">{t("flow-editor.problems", { count })}</span>
    </>
  );
}

/**
 * Figures as badges (results, a simulation's), hung below the card's bottom edge (off the
 * title). Hidden from screen readers: the node's name ends with the same figures (see
 * flow-canvas.tsx).
 */
function StepBadges({ badges }: { badges: readonly StepBadge[] | undefined }) {
  if (badges === undefined || badges.length === 0) return null;
  return (
    <>
      {" "}
      <span className="flow-node__stats" aria-hidden="true" title={badgesText(badges)}>
        {badges.map((badge, index) => (
          // Spaces between the badges: their text reads as words (axe's name-matches-text check).
          <span key={badge.text}>
            {index > 0 ? " " : null}
            <span className={`flow-node__stat${badge.tone ? ` flow-node__stat--${badge.tone}` : ""}`}>{badge.text}</span>
          </span>
        ))}
      </span>
    </>
  );
}

export function TriggerNodeView({ data }: NodeProps<TriggerNode>) {
  const { problemCounts } = useCanvasContext();
  const t = useT();
  const { trigger } = data.header;
  return (
    <div className="flow-node flow-node--trigger">
      <StepIcon kind="trigger" />
      <span className="flow-node__text">
        <span className="flow-node__title">{t("flow-editor.node.trigger", { event: trigger.event })}</span>{" "}
        <span className="flow-node__summary">{triggerSummary(trigger, t)}</span>
      </span>
      <ProblemBadge count={problemCounts.get(TRIGGER_NODE_ID) ?? 0} />
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="flow-node__handle" />
    </div>
  );
}

export function StepNodeView({ data }: NodeProps<StepNode>) {
  const { catalog, problemCounts, stepBadges } = useCanvasContext();
  const t = useT();
  const { step } = data;
  return (
    <div className={`flow-node flow-node--${step.type}`}>
      <Handles />
      <StepIcon kind={step.type} />
      <span className="flow-node__text">
        <span className="flow-node__id">{step.id}</span>{" "}
        <span className="flow-node__title">{stepSummary(step, catalog, t)}</span>
      </span>
      <ProblemBadge count={problemCounts.get(step.id) ?? 0} />
      <StepBadges badges={stepBadges?.get(step.id)} />
    </div>
  );
}

export function JoinNodeView(_props: NodeProps<JoinNode>) {
  return (
    <div className="flow-join">
      <Handles />
    </div>
  );
}

export function EmptyBranchNodeView(_props: NodeProps<EmptyBranchNode>) {
  const t = useT();
  return (
    <div className="flow-empty">
      <Handles />
      {t("flow-editor.node.no-steps")}
    </div>
  );
}

export function EndNodeView(_props: NodeProps<EndNode>) {
  const t = useT();
  return (
    <div className="flow-end">
      <Handle type="target" position={Position.Top} isConnectable={false} className="flow-node__handle" />
      {t("flow-editor.node.end")}
    </div>
  );
}

// At module scope: React Flow re-mounts every node when this object changes identity.
export const NODE_TYPES = {
  trigger: TriggerNodeView,
  step: StepNodeView,
  join: JoinNodeView,
  empty: EmptyBranchNodeView,
  end: EndNodeView,
};
