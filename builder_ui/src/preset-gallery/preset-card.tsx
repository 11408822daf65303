/**
 * One preset: what it does, and one click to install it. An installed preset starts inactive
 * (nothing is sent yet), so the card then offers "Activate now" right where the user is: the
 * shortest way from a fresh start to a live sequence.
 *
 * The name field is optional: left empty, the API names the automation after the preset
 * (`... (2)` when that name is taken); typed, it tells a second install from the first.
 */
import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useSession } from "../session/session";
import { triggerLabel } from "../automations-list/starter-definition";
import { useT, type Translate } from "../i18n/i18n";

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

interface CardError {
  message: string;
  /** The API refused the typed name (e.g. too long): the field is marked invalid. */
  aboutName: boolean;
}

function cardErrorOf(error: unknown): CardError {
  const message = error instanceof Error ? error.message : String(error);
  const aboutName =
    error instanceof ApiError && error.problems.some((problem) => problem.field === "name");
  return { message, aboutName };
}

const STATUSES = ["active", "inactive", "archived"] as const;

/** An automation's status in the reader's language (an unknown one as the API says it). */
function statusText(status: string, t: Translate): string {
  const known = STATUSES.find((item) => item === status);
  return known === undefined ? status : t(`preset-gallery.status.${known}`);
}

/** The install request's body: the typed name, trimmed; none (the API's default) when blank. */
function installBody(typedName: string): Schemas["PresetInstall"] | undefined {
  const name = typedName.trim();
  return name === "" ? undefined : { name };
}

export function PresetCard({ preset, installedAs, onChanged }: Props) {
  const { api } = useSession();
  const t = useT();
  const [progress, setProgress] = useState<Progress>({ kind: "idle" });
  const [error, setError] = useState<CardError | null>(null);
  const [name, setName] = useState("");
  const headingId = useId();
  const nameId = useId();
  const errorId = useId();
  const busy = progress.kind === "installing" || progress.kind === "activating";

  // A form, so Enter in the name field installs as the button does.
  const install = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setProgress({ kind: "installing" });
    try {
      const automation = await unwrap(
        api.POST("/api/v1/presets/{key}/install", {
          params: { path: { key: preset.key } },
          body: installBody(name),
        }),
      );
      setProgress({ kind: "installed", automation });
      setName(""); // the next install starts from the default again
      onChanged();
    } catch (caught) {
      // The typed name stays, so a refused one can be corrected.
      setError(cardErrorOf(caught));
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
      setError(cardErrorOf(caught));
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
        <dt>{t("preset-gallery.card.trigger")}</dt>
        <dd>{triggerLabel(preset.trigger, t)}</dd>
        <dt>{t("preset-gallery.card.templates")}</dt>
        <dd>
          {preset.templates.length === 0
            ? t("preset-gallery.card.no-templates")
            : preset.templates.map((name, index) => (
                <span key={name}>
                  {index > 0 ? t("preset-gallery.card.list-separator") : ""}
                  <code>{name}</code>
                </span>
              ))}
        </dd>
        {installedAs.length > 0 ? (
          <>
            <dt>{t("preset-gallery.card.installed")}</dt>
            <dd>
              <ul className="preset-card__installed">
                {installedAs.map((automation) => (
                  <li key={automation.id}>
                    <Link to={`/automations/${automation.id}`}>{automation.name}</Link>{" "}
                    <span className={`badge badge--${automation.status}`}>{statusText(automation.status, t)}</span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>

      <form className="preset-card__footer" onSubmit={(event) => void install(event)}>
        <label htmlFor={nameId}>{t("preset-gallery.card.name")}</label>
        <div className="preset-card__install">
          <input
            id={nameId}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder={preset.name}
            autoComplete="off"
            aria-invalid={error?.aboutName === true ? true : undefined}
            aria-describedby={error?.aboutName === true ? errorId : undefined}
          />
          <button
            type="submit"
            className={installedAs.length > 0 ? "button--secondary" : undefined}
            aria-label={t("preset-gallery.card.install-label", { name: preset.name })}
            disabled={busy}
          >
            {/* Always "Install" (its accessible name starts so); installing again makes another. */}
            {t("preset-gallery.card.install")}
          </button>
        </div>
      </form>

      <InstallProgress progress={progress} onActivate={(a) => void activate(a)} />
      {error === null ? null : (
        <p id={errorId} className="notice notice--error" role="alert">
          {error.message}
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
  const t = useT();
  if (progress.kind === "idle") return <div role="status" />;
  if (progress.kind === "installing") return <div role="status">{t("preset-gallery.card.installing")}</div>;
  const { automation } = progress;
  const open = <Link to={`/automations/${automation.id}`}>{t("preset-gallery.card.open")}</Link>;
  if (progress.kind === "active") {
    return (
      <div role="status" className="notice preset-card__success">
        {t("preset-gallery.card.now-active", { name: automation.name })} {open}
      </div>
    );
  }
  return (
    <div role="status" className="notice preset-card__success">
      <p>{t("preset-gallery.card.installed-inactive", { name: automation.name })}</p>
      <div className="preset-card__next">
        <button
          type="button"
          disabled={progress.kind === "activating"}
          onClick={() => onActivate(automation)}
        >
          {t(progress.kind === "activating" ? "preset-gallery.card.activating" : "preset-gallery.card.activate")}
        </button>
        {open}
      </div>
    </div>
  );
}
