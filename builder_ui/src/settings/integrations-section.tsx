/**
 * Settings → Integrations: one card per shop platform (set up or not, the webhook URL to paste,
 * whether its secret is set — never the secret —, what its webhooks did, "Send a test event")
 * and the storefront (the snippet to paste, its keys, the origins it may post from).
 *
 * Developers read it all; sending a test event, storefront keys and origins are the admins'
 * (the API enforces it; the page offers no control the role lacks).
 */
import { useState } from "react";
import { unwrap, type Schemas } from "../api/client";
import { formatWhen } from "../i18n/format";
import type { MessageKey } from "../i18n/catalogue";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { CopyField } from "./copy-field";
import { rich } from "../i18n/rich-text";
import { StorefrontCard } from "./storefront-card";

type Status = Schemas["IntegrationsStatus"];
type PlatformStatus = Schemas["PlatformStatus"];
type Sent = Schemas["SampleEventSent"];

const PLATFORM_NAMES: Record<PlatformStatus["platform"], string> = {
  shopify: "Shopify",
  woocommerce: "WooCommerce",
};
const ADMIN_API_SETTINGS: Record<PlatformStatus["platform"], string> = {
  shopify: "BOOMERANG_SHOPIFY_SHOP and BOOMERANG_SHOPIFY_ACCESS_TOKEN",
  woocommerce:
    "BOOMERANG_WOOCOMMERCE_URL, BOOMERANG_WOOCOMMERCE_CONSUMER_KEY and BOOMERANG_WOOCOMMERCE_CONSUMER_SECRET",
};
/** Each webhook answer's word and what it means, as the delivery counts and the test's answer name them. */
const RESULTS: Record<string, { word: MessageKey; meaning: MessageKey }> = {
  applied: { word: "settings.result.applied", meaning: "settings.meaning.applied" },
  duplicate: { word: "settings.result.duplicate", meaning: "settings.meaning.duplicate" },
  ignored: { word: "settings.result.ignored", meaning: "settings.meaning.ignored" },
  failed: { word: "settings.result.failed", meaning: "settings.meaning.failed" },
  ping: { word: "settings.result.ping", meaning: "settings.meaning.ping" },
};

/** A webhook answer in words; one the UI does not know is shown as the API names it. */
function resultOf(t: Translate, result: string): { word: string; meaning: string | undefined } {
  const known = Object.hasOwn(RESULTS, result) ? RESULTS[result] : undefined;
  return known ? { word: t(known.word), meaning: t(known.meaning) } : { word: result, meaning: undefined };
}

export function IntegrationsSection() {
  const { api } = useSession();
  const t = useT();
  const { state, reload } = useApiData((signal) => unwrap(api.GET("/api/v1/integrations", { signal })), [api]);
  if (state.kind === "loading") return <Loading what={t("settings.integrations.loading")} />;
  if (state.kind === "error") return <ErrorNotice error={state.error} onRetry={reload} />;
  return <LoadedIntegrations status={state.data} reload={reload} />;
}

function LoadedIntegrations({ status, reload }: { status: Status; reload: () => void }) {
  const t = useT();
  return (
    <>
      <p className="hint">{rich(t("settings.integrations.hint"), { docs: <code>docs/integrations.md</code> })}</p>
      {status.platforms.map((platform) => (
        <PlatformCard
          key={platform.platform}
          platform={platform}
          discountProvider={status.discount_provider}
          onDelivered={reload}
        />
      ))}
      <StorefrontCard storefront={status.storefront} onChanged={reload} />
    </>
  );
}

function PlatformCard({
  platform,
  discountProvider,
  onDelivered,
}: {
  platform: PlatformStatus;
  discountProvider: Status["discount_provider"];
  onDelivered: () => void;
}) {
  const { can } = useSession();
  const t = useT();
  const { language } = useLanguage();
  const name = PLATFORM_NAMES[platform.platform];
  const adminApiSettings = <code>{ADMIN_API_SETTINGS[platform.platform]}</code>;
  const headingId = `integration-${platform.platform}-heading`;
  const counts = Object.entries(platform.deliveries_by_result);
  const needsAdminApi = platform.issues_discount_codes && !platform.admin_api_configured;

  return (
    <section className="settings-section integration-card" aria-labelledby={headingId}>
      <div className="integration-card__head">
        <h2 id={headingId}>{name}</h2>
        <span className={platform.configured ? "badge badge--active" : "badge badge--inactive"}>
          {platform.configured ? t("settings.configured") : t("settings.notConfigured")}
        </span>
      </div>
      <CopyField label={t("settings.integrations.webhookUrl", { name })} value={platform.webhook_url} />
      <dl className="settings-facts">
        <dt>{t("settings.integrations.secret")}</dt>
        <dd>
          {rich(
            t(platform.secret_configured ? "settings.integrations.secretSet" : "settings.integrations.secretNotSet"),
            { setting: <code>{platform.secret_setting}</code> },
          )}
        </dd>
        <dt>{t("settings.integrations.adminApi")}</dt>
        <dd>
          {rich(
            t(
              platform.admin_api_configured
                ? "settings.integrations.adminApiConfigured"
                : "settings.integrations.adminApiNotConfigured",
            ),
            { settings: adminApiSettings },
          )}
        </dd>
        <dt>{t("settings.integrations.discountCodes")}</dt>
        <dd>
          {platform.issues_discount_codes
            ? t("settings.integrations.discountHere", { name })
            : discountProvider === "builtin"
              ? t("settings.integrations.discountBuiltin")
              : t("settings.integrations.discountThere", { name: PLATFORM_NAMES[discountProvider] })}
        </dd>
        <dt>{t("settings.integrations.lastDelivery")}</dt>
        <dd>
          {platform.last_delivery === null ? (
            t("settings.integrations.noDelivery")
          ) : (
            <>
              <code>{platform.last_delivery.topic || t("settings.integrations.noTopic")}</code>:{" "}
              <span className={`result result--${platform.last_delivery.result}`}>
                {resultOf(t, platform.last_delivery.result).word}
              </span>
              , {formatWhen(platform.last_delivery.received_at, language, "short")}
              {platform.last_delivery.detail ? (
                <span className="integration-card__detail"> — {platform.last_delivery.detail}</span>
              ) : null}
            </>
          )}
        </dd>
        <dt>{t("settings.integrations.deliveries")}</dt>
        <dd>
          {counts.map(([result, count], index) => (
            <span key={result} title={resultOf(t, result).meaning}>
              {index > 0 ? " · " : null}
              {resultOf(t, result).word} {new Intl.NumberFormat(language).format(count)}
            </span>
          ))}
        </dd>
      </dl>
      {needsAdminApi ? (
        <p className="notice notice--warning">
          {rich(t("settings.integrations.needsAdminApi", { name }), { settings: adminApiSettings })}
        </p>
      ) : null}
      <UnknownTopics platform={platform} />
      {can("manage_settings") ? <SendTestEvent platform={platform} onDelivered={onDelivered} /> : null}
    </section>
  );
}

function UnknownTopics({ platform }: { platform: PlatformStatus }) {
  const t = useT();
  const { language } = useLanguage();
  if (platform.unknown_topics.length === 0) return null;
  const name = PLATFORM_NAMES[platform.platform];
  return (
    <div className="table-wrap">
      <table className="settings-table">
        <caption className="integration-card__caption">
          {t("settings.integrations.unknownTopics", { name })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("settings.integrations.topic")}</th>
            <th scope="col">{t("settings.integrations.deliveries")}</th>
            <th scope="col">{t("settings.integrations.lastSeen")}</th>
          </tr>
        </thead>
        <tbody>
          {platform.unknown_topics.map((topic) => (
            <tr key={topic.topic}>
              <th scope="row">
                <code>{topic.topic}</code>
              </th>
              <td>{new Intl.NumberFormat(language).format(topic.count)}</td>
              <td>{formatWhen(topic.last_seen, language, "short")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SendTestEvent({ platform, onDelivered }: { platform: PlatformStatus; onDelivered: () => void }) {
  const { api } = useSession();
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Sent | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const name = PLATFORM_NAMES[platform.platform];

  async function send() {
    setBusy(true);
    setAnswer(null);
    setError(null);
    try {
      const sent = await unwrap(
        api.POST("/api/v1/integrations/{platform}/test", { params: { path: { platform: platform.platform } } }),
      );
      setAnswer(sent);
      onDelivered();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="integration-card__test">
      <button
        type="button"
        onClick={() => void send()}
        disabled={busy}
        aria-label={t("settings.integrations.testLabel", { name })}
      >
        {busy ? t("settings.integrations.sending") : t("settings.integrations.test")}
      </button>
      <p className="hint">
        {rich(t("settings.integrations.testHint", { name }), { email: <code>test@example.com</code> })}
      </p>
      {answer ? (
        <p className="notice" role="status">
          {rich(
            t("settings.integrations.testAnswer", {
              meaning: resultOf(t, answer.result).meaning ?? "",
              detail: answer.detail ? ` (${answer.detail})` : "",
            }),
            { topic: <code>{answer.topic}</code>, result: <strong>{resultOf(t, answer.result).word}</strong> },
          )}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
