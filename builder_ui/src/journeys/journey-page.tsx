/**
 * One journey, for support: where it stands, what it did, and pause/resume/cancel. While it
 * runs the page asks again every few seconds, so a wait ending or an email going out shows up.
 */
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, unwrap, type Schemas } from "../api/client";
import { useLanguage, useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { rich } from "../i18n/rich-text";
import { JourneyControls } from "./journey-controls";
import { formatRelative, formatWhen, isRunning, journeySubject, stateLabel } from "./journey-format";
import { JourneyTimeline } from "./journey-timeline";
import { StatusBadge } from "./journeys-table";
import "./journeys.css";

type JourneyDetail = Schemas["NamedJourneyDetail"];

export const REFRESH_EVERY_MS = 5000;

export function JourneyPage() {
  const { journeyId = "" } = useParams();
  const { can } = useSession();
  const t = useT();
  if (!can("operate_journeys")) {
    return <ErrorNotice error={t("journeys.forbidden")} />;
  }
  return <Journey key={journeyId} journeyId={journeyId} />;
}

function Journey({ journeyId }: { journeyId: string }) {
  const t = useT();
  const { language } = useLanguage();
  const { api } = useSession();
  const [live, setLive] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);
  const { state, reload } = useApiData(
    async (signal) => {
      const path = { journey_id: journeyId };
      const journey = await unwrap(api.GET("/api/v1/journeys/{journey_id}", { params: { path }, signal }));
      return { journey, refreshedAt: new Date() };
    },
    [api, journeyId],
    live ? REFRESH_EVERY_MS : undefined,
  );

  // A journey that ended (or never existed) stops the refreshing. Other failures keep it: the
  // next refresh may well succeed.
  useEffect(() => {
    const failure = state.kind === "error" ? state.error : state.kind === "loaded" ? state.refreshError : undefined;
    if (failure instanceof ApiError && failure.status === 404) setLive(false);
    else if (state.kind === "loaded") setLive(isRunning(state.data.journey));
  }, [state]);

  return (
    <section className="journey">
      <p className="journey__back">
        <Link to="/journeys">{t("journeys.journey.back")}</Link>
      </p>
      <h1>{rich(t("journeys.journey.title"), { subject: <code>{journeySubject(journeyId)}</code> })}</h1>
      {state.kind === "loading" ? <Loading what={t("journeys.journey.loading")} /> : null}
      {state.kind === "error" ? <ErrorNotice error={state.error} onRetry={reload} /> : null}
      {state.kind === "loaded" ? (
        <>
          <p className="journey__refreshed" aria-live="off">
            {t("journeys.journey.refreshed", { time: state.data.refreshedAt.toLocaleTimeString(language) })}
            {live ? t("journeys.journey.refreshes") : null}{" "}
            <button type="button" className="button--secondary journey__refresh" onClick={reload}>
              {t("journeys.journey.refresh")}
            </button>
          </p>
          {state.refreshError ? (
            <ErrorNotice error={t("journeys.journey.refresh-failed", { reason: state.refreshError.message })} />
          ) : null}
          {notice ? (
            <p className="notice" role="status">
              {notice}
            </p>
          ) : null}
          <JourneyFacts journey={state.data.journey} />
          <JourneyControls
            journeyId={journeyId}
            running={isRunning(state.data.journey)}
            paused={state.data.journey.paused}
            onDone={(message) => {
              setNotice(message);
              reload();
            }}
          />
          <h2 className="journey__heading">{t("journeys.journey.steps-done")}</h2>
          <JourneyTimeline steps={state.data.journey.steps} />
        </>
      ) : null}
    </section>
  );
}

function JourneyFacts({ journey }: { journey: JourneyDetail }) {
  const { can } = useSession();
  const t = useT();
  const { language } = useLanguage();
  const automationName = journey.automation_name ?? journey.automation_id ?? t("journeys.facts.unknown-automation");
  const variants = Object.entries(journey.variants);
  return (
    <dl className="journey__facts">
      <div>
        <dt>{t("journeys.facts.status")}</dt>
        <dd>
          <StatusBadge status={journey.status} paused={journey.paused} />
          {journey.outcome ? <span className="journey__outcome">{t("journeys.facts.outcome", { outcome: stateLabel(t, journey.outcome) })}</span> : null}
        </dd>
      </div>
      <div>
        <dt>{t("journeys.facts.automation")}</dt>
        <dd>
          {journey.automation_id && can("read_automations") ? (
            <Link to={`/automations/${encodeURIComponent(journey.automation_id)}`}>{automationName}</Link>
          ) : (
            automationName
          )}
          {journey.automation_version === null ? null : t("journeys.facts.version", { version: String(journey.automation_version) })}
        </dd>
      </div>
      <div>
        <dt>{t("journeys.facts.cart")}</dt>
        <dd>{journey.cart_id ? <code>{journey.cart_id}</code> : "—"}</dd>
      </div>
      <div>
        <dt>{t("journeys.facts.current-step")}</dt>
        <dd>{journey.current_step ? <code>{journey.current_step}</code> : "—"}</dd>
      </div>
      <div>
        <dt>{t("journeys.facts.next-wake-up")}</dt>
        <dd>
          {journey.next_wake_up ? (
            <>
              <time dateTime={journey.next_wake_up}>{formatWhen(journey.next_wake_up, language)}</time>{" "}
              <span className="journey__relative">({formatRelative(journey.next_wake_up, new Date(), t)})</span>
            </>
          ) : (
            "—"
          )}
        </dd>
      </div>
      <div>
        <dt>{t("journeys.facts.waiting-for")}</dt>
        <dd>{journey.waiting_for ? <code>{journey.waiting_for}</code> : "—"}</dd>
      </div>
      <div>
        <dt>{t("journeys.facts.variant")}</dt>
        <dd>
          {variants.length === 0
            ? "—"
            : variants.map(([step, variant]) => (
                <span key={step} className="journey__variant">
                  <code>{step}</code>: {variant}
                </span>
              ))}
        </dd>
      </div>
      {journey.recovered_via ? (
        <div>
          <dt>{t("journeys.facts.recovered-via")}</dt>
          <dd>
            <code>{journey.recovered_via}</code>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{t("journeys.facts.started")}</dt>
        <dd>{journey.started_at ? formatWhen(journey.started_at, language) : "—"}</dd>
      </div>
      {journey.closed_at ? (
        <div>
          <dt>{t("journeys.facts.ended")}</dt>
          <dd>{formatWhen(journey.closed_at, language)}</dd>
        </div>
      ) : null}
    </dl>
  );
}
