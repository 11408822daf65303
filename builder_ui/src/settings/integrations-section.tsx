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
import { useSession } from "../session/session";
import { ErrorNotice, Loading } from "../ui/notices";
import { useApiData } from "../ui/use-api-data";
import { CopyField } from "./copy-field";
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
/** What each webhook answer means, as the delivery counts and the test's answer name them. */
export const RESULT_MEANINGS: Record<string, string> = {
  applied: "turned into events",
  duplicate: "received before, applied once",
  ignored: "a topic Boomerang does not use",
  failed: "could not be read (see the detail)",
  ping: "WooCommerce's check when a webhook is created",
};

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function IntegrationsSection() {
  const { api } = useSession();
  const { state, reload } = useApiData((signal) => unwrap(api.GET("/api/v1/integrations", { signal })), [api]);
  if (state.kind === "loading") return <Loading what="integrations" />;
  if (state.kind === "error") return <ErrorNotice error={state.error} onRetry={reload} />;
  return <LoadedIntegrations status={state.data} reload={reload} />;
}

function LoadedIntegrations({ status, reload }: { status: Status; reload: () => void }) {
  return (
    <>
      <p className="hint">
        Connect the shop: give each platform its webhook URL and secret (step by step in{" "}
        <code>docs/integrations.md</code>), then send a test event. Secrets are set in the server's
        environment and never shown here.
      </p>
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
  const name = PLATFORM_NAMES[platform.platform];
  const headingId = `integration-${platform.platform}-heading`;
  const counts = Object.entries(platform.deliveries_by_result);
  const needsAdminApi = platform.issues_discount_codes && !platform.admin_api_configured;

  return (
    <section className="settings-section integration-card" aria-labelledby={headingId}>
      <div className="integration-card__head">
        <h2 id={headingId}>{name}</h2>
        <span className={platform.configured ? "badge badge--active" : "badge badge--inactive"}>
          {platform.configured ? "Configured" : "Not configured"}
        </span>
      </div>
      <CopyField label={`${name} webhook URL`} value={platform.webhook_url} />
      <dl className="settings-facts">
        <dt>Webhook secret</dt>
        <dd>
          {platform.secret_configured ? (
            <>
              set (<code>{platform.secret_setting}</code>)
            </>
          ) : (
            <>
              not set: set <code>{platform.secret_setting}</code>; until then every webhook call is refused
            </>
          )}
        </dd>
        <dt>Admin API</dt>
        <dd>
          {platform.admin_api_configured ? "configured" : "not configured"} (
          <code>{ADMIN_API_SETTINGS[platform.platform]}</code>)
        </dd>
        <dt>Discount codes</dt>
        <dd>
          {platform.issues_discount_codes
            ? `created in ${name}, so its checkout accepts them`
            : discountProvider === "builtin"
              ? "Boomerang's own (BOOMERANG_DISCOUNT_PROVIDER=builtin)"
              : `created in ${PLATFORM_NAMES[discountProvider]}`}
        </dd>
        <dt>Last delivery</dt>
        <dd>
          {platform.last_delivery === null ? (
            "none received yet"
          ) : (
            <>
              <code>{platform.last_delivery.topic || "(no topic)"}</code>:{" "}
              <span className={`result result--${platform.last_delivery.result}`}>
                {platform.last_delivery.result}
              </span>
              , {formatTime(platform.last_delivery.received_at)}
              {platform.last_delivery.detail ? (
                <span className="integration-card__detail"> — {platform.last_delivery.detail}</span>
              ) : null}
            </>
          )}
        </dd>
        <dt>Deliveries</dt>
        <dd>
          {counts.map(([result, count], index) => (
            <span key={result} title={RESULT_MEANINGS[result]}>
              {index > 0 ? " · " : null}
              {result} {count}
            </span>
          ))}
        </dd>
      </dl>
      {needsAdminApi ? (
        <p className="notice notice--warning">
          Discount codes are to be created in {name}, but its Admin API is not configured: set{" "}
          <code>{ADMIN_API_SETTINGS[platform.platform]}</code>.
        </p>
      ) : null}
      <UnknownTopics platform={platform} />
      {can("manage_settings") ? <SendTestEvent platform={platform} onDelivered={onDelivered} /> : null}
    </section>
  );
}

function UnknownTopics({ platform }: { platform: PlatformStatus }) {
  if (platform.unknown_topics.length === 0) return null;
  const name = PLATFORM_NAMES[platform.platform];
  return (
    <div className="table-wrap">
      <table className="settings-table">
        <caption className="integration-card__caption">
          Topics {name} sent that Boomerang does not use (answered, then ignored)
        </caption>
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col">Deliveries</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {platform.unknown_topics.map((topic) => (
            <tr key={topic.topic}>
              <th scope="row">
                <code>{topic.topic}</code>
              </th>
              <td>{topic.count}</td>
              <td>{formatTime(topic.last_seen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function SendTestEvent({ platform, onDelivered }: { platform: PlatformStatus; onDelivered: () => void }) {
  const { api } = useSession();
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
      <button type="button" onClick={() => void send()} disabled={busy} aria-label={`Send a test event to ${name}'s webhook`}>
        {busy ? "Sending…" : "Send a test event"}
      </button>
      <p className="hint">
        Posts a signed sample delivery to the {name} webhook, as {name} would: a cart or order for{" "}
        <code>test@example.com</code>, already bought or not yet paid, so it never enters an automation.
      </p>
      {answer ? (
        <p className="notice" role="status">
          Test event <code>{answer.topic}</code>: <strong>{answer.result}</strong> — {RESULT_MEANINGS[answer.result]}
          {answer.detail ? ` (${answer.detail})` : ""}.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </div>
  );
}
