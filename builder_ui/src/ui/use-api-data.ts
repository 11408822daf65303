import { useCallback, useEffect, useRef, useState } from "react";

export type DataState<T> =
  | { kind: "loading" }
  | { kind: "error"; error: Error }
  | { kind: "loaded"; data: T; refreshing: boolean; refreshError?: Error };

export interface ApiData<T> {
  state: DataState<T>;
  /** Load again; the current data stays shown meanwhile. */
  reload: () => void;
}

/**
 * Loads `load()` when `deps` change (aborting the previous load) and, with `refreshEvery`
 * milliseconds, again and again while the component is shown. A failed refresh keeps the
 * data shown (a passing hiccup must not blank the page) and sets `refreshError`; the next
 * successful one clears it.
 */
export function useApiData<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  refreshEvery?: number,
): ApiData<T> {
  const [state, setState] = useState<DataState<T>>({ kind: "loading" });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((current) =>
      current.kind === "loaded" ? { ...current, refreshing: true } : { kind: "loading" },
    );
    loadRef
      .current(controller.signal)
      .then((data) => {
        if (!controller.signal.aborted) setState({ kind: "loaded", data, refreshing: false });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof Error ? error : new Error(String(error));
        setState((current) =>
          current.kind === "loaded"
            ? { ...current, refreshing: false, refreshError: failure }
            : { kind: "error", error: failure },
        );
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller names the deps
  }, [...deps, generation]);

  useEffect(() => {
    if (refreshEvery === undefined) return undefined;
    const timer = window.setInterval(() => setGeneration((n) => n + 1), refreshEvery);
    return () => window.clearInterval(timer);
  }, [refreshEvery]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { state, reload };
}
