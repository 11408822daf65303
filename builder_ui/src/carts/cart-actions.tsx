/** What can be done for one cart: copy a fresh recovery link, message its customer. */
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../api/client";
import { useLanguage, useT, type Translate } from "../i18n/i18n";
import { CopyField } from "../settings/copy-field";
import { rich } from "../i18n/rich-text";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorNotice } from "../ui/notices";
import { makeRecoveryLink, messageCart, NOT_SENT_REASONS, SKIP_REASONS, type RecoveryLink as Link, type SkipReason } from "./carts-api";
import { formatWhen } from "../i18n/format";
import { TemplateFields, useTemplates } from "./template-fields";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function RecoveryLinkSection({ cartId }: { cartId: string }) {
  const { api } = useSession();
  const t = useT();
  const { language } = useLanguage();
  const headingId = useId();
  const [percent, setPercent] = useState("");
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<{ link: Link; copied: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const discount = percent.trim() === "" ? null : Number(percent);
  const invalid = discount !== null && !(Number.isInteger(discount) && discount >= 1 && discount <= 90);

  const make = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    setBusy(true);
    setError(null);
    try {
      const link = await makeRecoveryLink(api, cartId, discount);
      let copied = true;
      try {
        await navigator.clipboard.writeText(link.url);
      } catch {
        copied = false; // no clipboard here (an insecure origin, a denied permission): it is shown below
      }
      setMade({ link, copied });
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="carts__panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("carts.recovery.title")}</h2>
      <form className="carts__inline" onSubmit={(event) => void make(event)} noValidate>
        <div>
          <label htmlFor="recovery-discount">{t("carts.recovery.discount")}</label>
          <input
            id="recovery-discount"
            type="number"
            min="1"
            max="90"
            step="1"
            value={percent}
            aria-invalid={invalid || undefined}
            aria-describedby="recovery-discount-hint"
            onChange={(event) => setPercent(event.target.value)}
          />
        </div>
        <button type="submit" disabled={busy}>
          {busy ? t("carts.recovery.making") : t("carts.recovery.make")}
        </button>
      </form>
      <p id="recovery-discount-hint" className="hint">
        {invalid ? t("carts.recovery.invalid") : t("carts.recovery.hint")}
      </p>
      {error ? <ErrorNotice error={t("carts.recovery.failed", { error })} /> : null}
      {made ? (
        <div className="carts__link">
          <p role="status">
            {made.copied ? t("carts.recovery.copied") : t("carts.recovery.shown")}{" "}
            {t("carts.recovery.worksUntil", { when: formatWhen(made.link.expires_at, language) })}
            {made.link.code ? (
              <>
                {" "}
                {rich(
                  made.link.code_expires_at
                    ? t("carts.recovery.codeUntil", { when: formatWhen(made.link.code_expires_at, language) })
                    : t("carts.recovery.code"),
                  { code: <code>{made.link.code}</code> },
                )}
              </>
            ) : null}
          </p>
          <CopyField label={t("carts.recovery.field")} value={made.link.url} />
        </div>
      ) : null}
    </section>
  );
}

/**
 * Why a message was not sent, in plain words. The contract names the 409's reason by its code
 * (suppressed, no_consent, frequency_cap, no_email); a `not_sent` code with the reason in its
 * first problem is read too.
 */
export function notSentReason(t: Translate, error: unknown): string {
  if (error instanceof ApiError && error.status === 409) {
    const reason = (SKIP_REASONS as readonly string[]).includes(error.code)
      ? error.code
      : error.problems.find((problem) => problem.field === "reason")?.message;
    if (reason !== undefined && Object.hasOwn(NOT_SENT_REASONS, reason)) {
      return t("carts.notSent.reason", { reason: t(NOT_SENT_REASONS[reason as SkipReason]) });
    }
    return t("carts.notSent.reason", { reason: error.message });
  }
  return t("carts.notSent.failed", { error: messageOf(error) });
}

export function MessageCustomerSection({ cartId, email }: { cartId: string; email: string | null }) {
  const { api } = useSession();
  const t = useT();
  const headingId = useId();
  const [template, setTemplate] = useState("");
  const [subject, setSubject] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const templates = useTemplates(true);

  const ask = (event: FormEvent) => {
    event.preventDefault();
    if (template === "") {
      setOutcome({ ok: false, text: t("carts.message.chooseTemplate") });
      return;
    }
    setOutcome(null);
    setConfirming(true);
  };

  const send = () => {
    setBusy(true);
    messageCart(api, cartId, template, subject.trim() === "" ? null : subject.trim(), crypto.randomUUID())
      .then(() =>
        setOutcome({
          ok: true,
          text:
            email === null
              ? t("carts.message.sentToCustomer", { template })
              : t("carts.message.sentTo", { template, email }),
        }),
      )
      .catch((failure: unknown) => setOutcome({ ok: false, text: notSentReason(t, failure) }))
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };

  return (
    <section className="carts__panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("carts.message.title")}</h2>
      <form onSubmit={ask} aria-label={t("carts.message.title")}>
        <TemplateFields
          idPrefix="message"
          templates={templates}
          template={template}
          subject={subject}
          disabled={busy}
          onTemplate={setTemplate}
          onSubject={setSubject}
        />
        <button type="submit" disabled={busy}>
          {t("carts.message.send")}
        </button>
      </form>
      {outcome?.ok ? (
        <p className="notice" role="status">
          {outcome.text}
        </p>
      ) : null}
      {outcome && !outcome.ok ? <ErrorNotice error={outcome.text} /> : null}
      {confirming ? (
        <ConfirmDialog
          title={t("carts.message.confirmTitle")}
          confirmLabel={t("carts.message.confirm")}
          cancelLabel={t("carts.cancel")}
          busy={busy}
          onConfirm={send}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {email === null
              ? t("carts.message.confirmBodyNoEmail", { template })
              : t("carts.message.confirmBody", { template, email })}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
