/** What the canvas's custom nodes and edges need from the editor around them. */
import { createContext, useContext } from "react";
import type { Catalog } from "../definition/definition";
import type { NewStepKind } from "./edit-definition";
import type { InsertPoint } from "./to-definition";

export interface CanvasContextValue {
  catalog: Catalog;
  readOnly: boolean;
  /** Problems per node id (the trigger node holds those without a step). */
  problemCounts: ReadonlyMap<string, number>;
  onInsert: (at: InsertPoint, kind: NewStepKind) => void;
  /** Results per step id, shown as badges on the nodes (the Results tab); none in the editor. */
  stepStats?: ReadonlyMap<string, StepStats> | undefined;
}

/** What a step's badges show: emails sent and clicked, carts recovered. */
export interface StepStats {
  sent: number;
  clicked: number;
  recovered: number;
}

/** "120 sent, 30 clicked, 5 recovered": the badges' text, and the end of the node's name. */
export function statsText({ sent, clicked, recovered }: StepStats): string {
  return `${sent} sent, ${clicked} clicked, ${recovered} recovered`;
}

export const CanvasContext = createContext<CanvasContextValue | null>(null);

export function useCanvasContext(): CanvasContextValue {
  const value = useContext(CanvasContext);
  if (value === null) throw new Error("canvas nodes outside a CanvasContext");
  return value;
}
