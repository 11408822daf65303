/** What the canvas's custom nodes and edges need from the editor around them. */
import { createContext, useContext } from "react";
import type { Catalog } from "../definition/definition";
import type { Translate } from "../i18n/i18n";
import type { NewStepKind } from "./edit-definition";
import { inEnglish } from "./step-summary";
import type { InsertPoint } from "./to-definition";

export interface CanvasContextValue {
  catalog: Catalog;
  readOnly: boolean;
  /** Problems per node id (the trigger node holds those without a step). */
  problemCounts: ReadonlyMap<string, number>;
  onInsert: (at: InsertPoint, kind: NewStepKind) => void;
  /**
   * Figures per step id, shown as badges on the nodes: results (the Results tab), a
   * simulation's (the editor's "Try on past carts"); none otherwise.
   */
  stepBadges?: ReadonlyMap<string, readonly StepBadge[]> | undefined;
}

/** One figure hung under a step node: "120 sent", "+30 emails vs live". */
export interface StepBadge {
  text: string;
  /** good: recoveries; bad: failures; change: a difference to another version; none: a count. */
  tone?: "good" | "bad" | "change" | undefined;
}

/** "120 sent, 30 clicked, 5 recovered": the badges' text, and the end of the node's name. */
export function badgesText(badges: readonly StepBadge[]): string {
  return badges.map((badge) => badge.text).join(", ");
}

/** What a step's results badges show: emails sent and clicked, carts recovered. */
export interface StepStats {
  sent: number;
  clicked: number;
  recovered: number;
}

/** In `t`'s language (English without one). */
export function statsBadges({ sent, clicked, recovered }: StepStats, t: Translate = inEnglish): StepBadge[] {
  return [
    { text: t("flow-editor.stats.sent", { count: sent }) },
    { text: t("flow-editor.stats.clicked", { count: clicked }) },
    { text: t("flow-editor.stats.recovered", { count: recovered }), tone: "good" },
  ];
}

export const CanvasContext = createContext<CanvasContextValue | null>(null);

export function useCanvasContext(): CanvasContextValue {
  const value = useContext(CanvasContext);
  if (value === null) throw new Error("canvas nodes outside a CanvasContext");
  return value;
}
