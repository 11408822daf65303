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
}

export const CanvasContext = createContext<CanvasContextValue | null>(null);

export function useCanvasContext(): CanvasContextValue {
  const value = useContext(CanvasContext);
  if (value === null) throw new Error("canvas nodes outside a CanvasContext");
  return value;
}
