/**
 * One simulation at a time, run from the editor: started, then (above 2,000 carts, where the
 * API answers 202) its progress asked for every `pollEvery` ms until it is done or failed.
 * The editor holds it, so closing and reopening the panel keeps the run and its figures.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type Api, type Problem } from "../api/client";
import { POLL_MS, loadSimulation, startSimulation, type SimulationRequest, type SimulationStatus } from "./simulation-api";

export type SimulationRun =
  | { kind: "idle" }
  | { kind: "starting" }
  | { kind: "running"; status: SimulationStatus }
  | { kind: "done"; status: SimulationStatus; ranOn: string }
  /** `message` is the API's words; empty when it gave none (the panel says so itself). */
  | { kind: "failed"; message: string; problems: Problem[] };

export interface SimulationControl {
  run: SimulationRun;
  /** Starts a run (forgetting the one before); `ranOn` tells later whether the canvas changed. */
  start: (request: SimulationRequest, ranOn: string) => void;
}

function failure(error: unknown): SimulationRun {
  if (error instanceof ApiError) return { kind: "failed", message: error.message, problems: error.problems };
  return { kind: "failed", message: error instanceof Error ? error.message : String(error), problems: [] };
}

export function useSimulation(api: Api, automationId: string, pollEvery: number = POLL_MS): SimulationControl {
  const [run, setRun] = useState<SimulationRun>({ kind: "idle" });
  // Each start bumps it: answers for an older run (or after unmounting) are dropped.
  const generation = useRef(0);
  const timer = useRef<number | undefined>(undefined);

  useEffect(
    () => () => {
      generation.current += 1;
      window.clearTimeout(timer.current);
    },
    [],
  );

  const start = useCallback(
    (request: SimulationRequest, ranOn: string) => {
      generation.current += 1;
      const mine = generation.current;
      window.clearTimeout(timer.current);
      const current = () => generation.current === mine;

      const settle = (status: SimulationStatus) => {
        if (!current()) return;
        if (status.status === "done") setRun({ kind: "done", status, ranOn });
        else if (status.status === "failed") setRun({ kind: "failed", message: status.error ?? "", problems: [] });
        else {
          setRun({ kind: "running", status });
          timer.current = window.setTimeout(() => {
            loadSimulation(api, status.id)
              .then(settle)
              .catch((error: unknown) => {
                if (current()) setRun(failure(error));
              });
          }, pollEvery);
        }
      };

      setRun({ kind: "starting" });
      startSimulation(api, automationId, request)
        .then(settle)
        .catch((error: unknown) => {
          if (current()) setRun(failure(error));
        });
    },
    [api, automationId, pollEvery],
  );

  return { run, start };
}
