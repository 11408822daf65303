/**
 * "Try on past carts", in the editor's side panel: pick what to try (the draft as the canvas
 * shows it, or a published version), how many of the latest abandoned carts, and whether to
 * compare with the live version; run it, follow a background run's progress, then read the
 * totals, the difference and each cart's timeline. The canvas shows each step's figures
 * while the panel is open (the editor passes them, see `simulationBadges`).
 */
import { useId, useState, type FormEvent } from "react";
import type { Api } from "../api/client";
import type { Definition } from "../definition/definition";
import { formatCount } from "../results/analytics";
import { CartTimelinesList } from "./cart-timelines";
import { DEFAULT_CARTS, MAX_CARTS, simulationRequest, triedText, type SimulationChoice } from "./simulation-api";
import { DifferenceView, SimulationTotalsView } from "./simulation-totals";
import type { SimulationControl } from "./use-simulation";
import "./simulation.css";

export interface SimulationPanelProps {
  api: Api;
  /** The live version's number: the versions on offer are 1 to it. */
  liveVersion: number;
  /** What the canvas shows, and whether it has unsaved changes. */
  definition: Definition;
  unsaved: boolean;
  simulation: SimulationControl;
}

export function SimulationPanel({ api, liveVersion, definition, unsaved, simulation }: SimulationPanelProps) {
  const ids = useId();
  const [tried, setTried] = useState<string>("draft");
  const [carts, setCarts] = useState(String(DEFAULT_CARTS));
  const [compare, setCompare] = useState(false);
  const { run, start } = simulation;
  const busy = run.kind === "starting" || run.kind === "running";
  const count = Number(carts);
  const cartsValid = Number.isInteger(count) && count >= 1 && count <= MAX_CARTS;
  const canvasNow = JSON.stringify(definition);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!cartsValid || busy) return;
    const choice: SimulationChoice = { tried: tried === "draft" ? "draft" : Number(tried), carts: count, compareWithLive: compare };
    start(simulationRequest(choice, definition, unsaved), choice.tried === "draft" ? canvasNow : "");
  };

  const versions = Array.from({ length: liveVersion }, (_, index) => liveVersion - index);
  return (
    <section className="simulation" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Try on past carts</h2>
      <p className="hint">
        Replays recent abandoned carts, with what their customers really did next, through the flow. Nothing is sent.
      </p>
      <form className="simulation__form" aria-label="Simulation" onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-tried`}>What to try</label>
        <select id={`${ids}-tried`} value={tried} onChange={(event) => setTried(event.target.value)} disabled={busy}>
          <option value="draft">The draft, as the editor shows it{unsaved ? " (unsaved)" : ""}</option>
          {versions.map((version) => (
            <option key={version} value={String(version)}>
              Version {version}
              {version === liveVersion ? " (live)" : ""}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-carts`}>Carts</label>
        <input
          id={`${ids}-carts`}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_CARTS}
          step={1}
          value={carts}
          onChange={(event) => setCarts(event.target.value)}
          aria-describedby={`${ids}-carts-hint`}
          aria-invalid={!cartsValid}
          disabled={busy}
        />
        <p id={`${ids}-carts-hint`} className={cartsValid ? "hint" : "hint simulation__invalid"}>
          The most recently abandoned carts, 1 to {formatCount(MAX_CARTS)}. More than 2,000 run in the background.
        </p>
        <label className="simulation__check">
          <input type="checkbox" checked={compare} onChange={(event) => setCompare(event.target.checked)} disabled={busy} />
          Compare with live (version {liveVersion})
        </label>
        <button type="submit" disabled={busy || !cartsValid}>
          {busy ? "Simulating…" : "Run simulation"}
        </button>
      </form>

      {run.kind === "starting" ? (
        <p className="notice" role="status">
          Starting the simulation…
        </p>
      ) : null}
      {run.kind === "running" ? (
        <div className="notice simulation__progress" role="status">
          <span>
            Simulating… {formatCount(run.status.done)} of {formatCount(run.status.carts)} carts
          </span>
          <progress max={Math.max(run.status.carts, 1)} value={run.status.done} aria-label="Carts simulated" />
        </div>
      ) : null}
      {run.kind === "failed" ? (
        <div className="notice notice--error" role="alert">
          <p>The simulation could not run: {run.message}</p>
          {run.problems.length > 0 ? (
            <ul>
              {run.problems.map((problem, index) => (
                <li key={`${index}-${problem.field}`}>
                  {problem.step_id ? (
                    <>
                      Step <code>{problem.step_id}</code>:{" "}
                    </>
                  ) : null}
                  {problem.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {run.kind === "done" ? (
        <section className="simulation__results" aria-labelledby={`${ids}-results`}>
          <h3 id={`${ids}-results`}>Results</h3>
          <p role="status">
            Tried {triedText(run.status.tried)} on {formatCount(run.status.carts)} {run.status.carts === 1 ? "cart" : "carts"}
            {run.status.compared_with ? `, compared with ${triedText(run.status.compared_with)}` : ""}. The canvas shows each step's figures.
          </p>
          {run.ranOn !== "" && run.ranOn !== canvasNow ? (
            <p className="notice">The canvas changed since this run: run it again to see the figures of your changes.</p>
          ) : null}
          {run.status.totals ? <SimulationTotalsView totals={run.status.totals} /> : null}
          {run.status.difference && run.status.compared_with ? (
            <DifferenceView difference={run.status.difference} against={`${triedText(run.status.compared_with)} (live)`} />
          ) : null}
          <CartTimelinesList key={run.status.id} api={api} simulationId={run.status.id} />
        </section>
      ) : null}
    </section>
  );
}
