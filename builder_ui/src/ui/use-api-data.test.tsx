import { act, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useApiData } from "./use-api-data";

function Probe({ load }: { load: () => Promise<string> }) {
  const { state, reload } = useApiData(() => load(), [load]);
  return (
    <div>
      <p>
        {state.kind === "loaded"
          ? `data: ${state.data}${state.refreshError ? ` (refresh failed: ${state.refreshError.message})` : ""}`
          : state.kind === "error"
            ? `error: ${state.error.message}`
            : "loading"}
      </p>
      <button type="button" onClick={reload}>
        reload
      </button>
    </div>
  );
}

describe("useApiData", () => {
  it("shows the first failure as an error", async () => {
    const load = vi.fn(() => Promise.reject(new Error("down")));
    render(<Probe load={load} />);

    expect(await screen.findByText("error: down")).toBeInTheDocument();
  });

  it("keeps the data shown when a refresh fails, and clears the failure on the next success", async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockResolvedValueOnce("one")
      .mockRejectedValueOnce(new Error("hiccup"))
      .mockResolvedValueOnce("two");
    render(<Probe load={load} />);
    await screen.findByText("data: one");

    await act(async () => screen.getByRole("button", { name: "reload" }).click());
    expect(await screen.findByText("data: one (refresh failed: hiccup)")).toBeInTheDocument();

    await act(async () => screen.getByRole("button", { name: "reload" }).click());
    expect(await screen.findByText("data: two")).toBeInTheDocument();
  });
});
