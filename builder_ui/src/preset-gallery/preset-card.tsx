/**
 * One preset: what it does, and one click to install it. An installed preset starts inactive
 * (nothing is sent yet), so the card then offers "Activate now" right where the user is: the
 * shortest way from a fresh start to a live sequence.
 */
import { useId, useState } from "react";
import { Link } from "react-router";
import { unwrap, type Schemas } from "../api/client";
import { useSession } from "../session/session";
import { triggerLabel } from "../automations-list/starter-definition";

type Preset = Schemas["PresetPublic"];
type Automation = Schemas["AutomationPublic"];

interface InstalledAs {
  id: string;
  name: string;
  status: string;
}

interface Props {
  preset: Preset;
  /** The automations installed from it, by id (names and status come from the list). */
  installedAs: readonly InstalledAs[];
  onChanged: () => void;
}

type Progress =
  | { kind: "idle" }
  | { kind: "installing" }
  | { kind: "installed"; automation: Automation }
  | { kind: "activating"; automation: Automation }
  | { kind: "active"; automation: Automation };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function PresetCard({ preset, installedAs, onChanged }: Props) {
  const { api } = useSession();
  const [progress, setProgress] = useState<Progress>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();

  const install = async () => {
    setError(null);
    setProgress({ kind: "installing" });
    try {
      const automation = await unwrap(
        api.POST("/api/v1/presets/{key}/install", { params: { path: { key: preset.key } } }),
      );
      setProgress({ kind: "installed", automation });
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
      setProgress({ kind: "idle" });
    }
  };

  const activate = async (automation: Automation) => {
    setError(null);
    setProgress({ kind: "activating", automation });
    try {
      const answer = await unwrap(
        api.POST("/api/v1/automations/{automation_id}/activate", {
          params: { path: { automation_id: automation.id } },
          body: { resume_journeys: false },
        }),
      );
      setProgress({ kind: "active", automation: answer.automation });
      onChanged();
    } catch (caught) {
      setError(messageOf(caught));
      setProgress({ kind: "installed", automation });
    }
  };

  return (
    <article className="preset-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{preset.name}</h3>
      <p>{preset.description}</p>
      <ul className="preset-card__steps">
        {preset.what_it_does.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <dl className="preset-card__facts">
        <dt>Trigger</dt>
        <dd>{triggerLabel(preset.trigger)}</dd>
        <dt>Templates</dt>
        <dd>
          {preset.templates.length === 0
            ? "none"
            : preset.templates.map((name, index) => (
                <span key={name}>
                  {index > 0 ? ", " : ""}
                  <code>{name}</code>
                </span>
              ))}
        </dd>
        {installedAs.length > 0 ? (
          <>
            <dt>Installed</dt>
            <dd>
              <ul className="preset-card__installed">
                {installedAs.map((automation) => (
                  <li key={automation.id}>
                    <Link to={`/automations/${automation.id}`}>{automation.name}</Link>{" "}
                    <span className={`badge badge--${automation.status}`}>{automation.status}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>

      <div className="preset-card__footer">
        <button
          type="button"
          className={installedAs.length > 0 ? "button--secondary" : undefined}
          aria-label={`Install ${preset.name}`}
          disabled={progress.kind === "installing" || progress.kind === "activating"}
          onClick={() => void install()}
        >
          {/* Always "Install" (its accessible name starts so); installing again makes another. */}
          Install
        </button>
      </div>

      <InstallProgress progress={progress} onActivate={(a) => void activate(a)} />
      {error === null ? null : (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}

function InstallProgress({
  progress,
  onActivate,
}: {
  progress: Progress;
  onActivate: (automation: Automation) => void;
}) {
  if (progress.kind === "idle") return <div role="status" />;
  if (progress.kind === "installing") return <div role="status">Installing…</div>;
  const { automation } = progress;
  const open = <Link to={`/automations/${automation.id}`}>Open</Link>;
  if (progress.kind === "active") {
    return (
      <div role="status" className="notice preset-card__success">
        “{automation.name}” is active: new journeys start from now on. {open}
      </div>
    );
  }
  return (
    <div role="status" className="notice preset-card__success">
      <p>Installed “{automation.name}”. It is inactive: nothing is sent until you activate it.</p>
      <div className="preset-card__next">
        <button
          type="button"
          disabled={progress.kind === "activating"}
          onClick={() => onActivate(automation)}
        >
          {progress.kind === "activating" ? "Activating…" : "Activate now"}
        </button>
        {open}
      </div>
    </div>
  );
}
