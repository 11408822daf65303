/** The definition being edited, with undo and redo over every change. */
import { useCallback, useState } from "react";
import type { Definition } from "../definition/definition";

const LIMIT = 200;

interface History {
  past: Definition[];
  present: Definition;
  future: Definition[];
}

export interface DefinitionHistory {
  definition: Definition;
  /** A new state; it can be undone. */
  change: (next: Definition) => void;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
  /** Starts over from `definition` with no history (after a load, publish or discard). */
  reset: (definition: Definition) => void;
}

export function useDefinitionHistory(initial: Definition): DefinitionHistory {
  const [history, setHistory] = useState<History>({ past: [], present: initial, future: [] });

  const change = useCallback((next: Definition) => {
    setHistory((current) =>
      next === current.present
        ? current
        : { past: [...current.past, current.present].slice(-LIMIT), present: next, future: [] },
    );
  }, []);
  const undo = useCallback(() => {
    setHistory((current) => {
      const previous = current.past[current.past.length - 1];
      if (previous === undefined) return current;
      return { past: current.past.slice(0, -1), present: previous, future: [current.present, ...current.future] };
    });
  }, []);
  const redo = useCallback(() => {
    setHistory((current) => {
      const [next, ...rest] = current.future;
      if (next === undefined) return current;
      return { past: [...current.past, current.present], present: next, future: rest };
    });
  }, []);
  const reset = useCallback((definition: Definition) => {
    setHistory({ past: [], present: definition, future: [] });
  }, []);

  return {
    definition: history.present,
    change,
    undo,
    redo,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    reset,
  };
}
