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
import { useLanguage, useT } from "../i18n/i18n";
import { formatCount } from "../results/analytics";
import { rich } from "../i18n/rich-text";
import { CartTimelinesList } from "./cart-timelines";
import { DEFAULT_CARTS, MAX_CARTS, simulationRequest, triedText, type SimulationChoice } from "./simulation-api";
import { DifferenceView, SimulationTotalsView } from "./simulation-totals";
import type { SimulationControl } from "./use-simulation";
import "./simulation.css";

/** Runs above this many carts go to the background (the API answers 202). */
const BACKGROUND_ABOVE = 2_000;

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
  const t = useT();
  const { language } = useLanguage();
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
      <h2 id={`${ids}-title`}>{t("simulation.title")}</h2>
      <p className="hint">{t("simulation.intro")}</p>
      <form className="simulation__form" aria-label={t("simulation.form")} onSubmit={submit} noValidate>
        <label htmlFor={`${ids}-tried`}>{t("simulation.tried")}</label>
        <select id={`${ids}-tried`} value={tried} onChange={(event) => setTried(event.target.value)} disabled={busy}>
          <option value="draft">{t(unsaved ? "simulation.option.draft-unsaved" : "simulation.option.draft")}</option>
          {versions.map((version) => (
            <option key={version} value={String(version)}>
              {t(version === liveVersion ? "simulation.option.version-live" : "simulation.option.version", { version: String(version) })}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-carts`}>{t("simulation.carts")}</label>
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
          {t("simulation.carts-hint", { max: MAX_CARTS, background: BACKGROUND_ABOVE })}
        </p>
        <label className="simulation__check">
          <input type="checkbox" checked={compare} onChange={(event) => setCompare(event.target.checked)} disabled={busy} />
          {t("simulation.compare", { version: String(liveVersion) })}
        </label>
        <button type="submit" disabled={busy || !cartsValid}>
          {t(busy ? "simulation.running" : "simulation.run")}
        </button>
      </form>

      {run.kind === "starting" ? (
        <p className="notice" role="status">
          {t("simulation.starting")}
        </p>
      ) : null}
      {run.kind === "running" ? (
        <div className="notice simulation__progress" role="status">
          <span>
            {t("simulation.progress", { done: formatCount(run.status.done, language), carts: formatCount(run.status.carts, language) })}
          </span>
          <progress max={Math.max(run.status.carts, 1)} value={run.status.done} aria-label={t("simulation.progress-label")} />
        </div>
      ) : null}
      {run.kind === "failed" ? (
        <div className="notice notice--error" role="alert">
          <p>{t("simulation.failed", { reason: run.message || t("simulation.failed-default") })}</p>
          {run.problems.length > 0 ? (
            <ul>
              {run.problems.map((problem, index) => (
                <li key={`${index}-${problem.field}`}>
                  {problem.step_id ? (
                    <>{rich(t("simulation.problem-step"), { step: <code>{problem.step_id}</code> })}</>
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
          <h3 id={`${ids}-results`}>{t("simulation.results")}</h3>
          <p role="status">
            {run.status.compared_with
              ? t("simulation.results-summary-compared", {
                  tried: triedText(run.status.tried, t),
                  carts: t("simulation.count.carts", { count: run.status.carts }),
                  compared: triedText(run.status.compared_with, t),
                })
              : t("simulation.results-summary", {
                  tried: triedText(run.status.tried, t),
                  carts: t("simulation.count.carts", { count: run.status.carts }),
                })}
          </p>
          {run.ranOn !== "" && run.ranOn !== canvasNow ? (
            <p className="notice">{t("simulation.canvas-changed")}</p>
          ) : null}
          {run.status.totals ? <SimulationTotalsView totals={run.status.totals} /> : null}
          {run.status.difference && run.status.compared_with ? (
            <DifferenceView difference={run.status.difference} against={t("simulation.against-live", { tried: triedText(run.status.compared_with, t) })} />
          ) : null}
          <CartTimelinesList key={run.status.id} api={api} simulationId={run.status.id} />
        </section>
      ) : null}
    </section>
  );
}
