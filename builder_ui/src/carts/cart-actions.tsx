/** What can be done for one cart: copy a fresh recovery link, message its customer. */
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../api/client";
import { CopyField } from "../settings/copy-field";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { ErrorNotice } from "../ui/notices";
import { formatWhen } from "../journeys/journey-format";
import { makeRecoveryLink, messageCart, NOT_SENT_REASONS, SKIP_REASONS, type RecoveryLink as Link, type SkipReason } from "./carts-api";
import { TemplateFields, useTemplates } from "./template-fields";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function RecoveryLinkSection({ cartId }: { cartId: string }) {
  const { api } = useSession();
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
      <h2 id={headingId}>Recovery link</h2>
      <form className="carts__inline" onSubmit={(event) => void make(event)} noValidate>
        <div>
          <label htmlFor="recovery-discount">Discount % (optional)</label>
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
          {busy ? "Making the link…" : "Copy recovery link"}
        </button>
      </form>
      <p id="recovery-discount-hint" className="hint">
        {invalid
          ? "A discount is a whole number from 1 to 90."
          : "A fresh signed link that rebuilds this cart; with a discount, a new single-use code valid 7 days."}
      </p>
      {error ? <ErrorNotice error={`No recovery link: ${error}`} /> : null}
      {made ? (
        <div className="carts__link">
          <p role="status">
            {made.copied ? "Copied the recovery link to the clipboard." : "Here is the recovery link: copy it below."}{" "}
            It works until {formatWhen(made.link.expires_at)}.
            {made.link.code ? (
              <>
                {" "}
                Discount code <code>{made.link.code}</code>
                {made.link.code_expires_at ? `, valid until ${formatWhen(made.link.code_expires_at)}` : ""}.
              </>
            ) : null}
          </p>
          <CopyField label="Recovery link" value={made.link.url} />
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
export function notSentReason(error: unknown): string {
  if (error instanceof ApiError && error.status === 409) {
    const reason = (SKIP_REASONS as readonly string[]).includes(error.code)
      ? error.code
      : error.problems.find((problem) => problem.field === "reason")?.message;
    if (reason !== undefined && reason in NOT_SENT_REASONS) return `Not sent. ${NOT_SENT_REASONS[reason as SkipReason]}`;
    return `Not sent. ${error.message}`;
  }
  return `The message was not sent: ${messageOf(error)}`;
}

export function MessageCustomerSection({ cartId, email }: { cartId: string; email: string | null }) {
  const { api } = useSession();
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
      setOutcome({ ok: false, text: "Choose a template first." });
      return;
    }
    setOutcome(null);
    setConfirming(true);
  };

  const send = () => {
    setBusy(true);
    messageCart(api, cartId, template, subject.trim() === "" ? null : subject.trim(), crypto.randomUUID())
      .then(() => setOutcome({ ok: true, text: `Sent “${template}” to ${email ?? "the customer"}.` }))
      .catch((failure: unknown) => setOutcome({ ok: false, text: notSentReason(failure) }))
      .finally(() => {
        setBusy(false);
        setConfirming(false);
      });
  };

  return (
    <section className="carts__panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Message this customer</h2>
      <form onSubmit={ask} aria-label="Message this customer">
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
          Send…
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
          title="Send this email?"
          confirmLabel="Send email"
          busy={busy}
          onConfirm={send}
          onCancel={() => setConfirming(false)}
        >
          <p>
            “{template}” goes to {email ?? "this cart's customer"} now, unless they are suppressed, have not consented or
            are over the frequency cap.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
