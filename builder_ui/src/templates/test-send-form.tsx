/** Sends what the editor shows (saved or not) to one address, and says where it went. */
import { type FormEvent, useId, useState } from "react";
import { type Schemas, unwrap } from "../api/client";
import { type Translate, useT } from "../i18n/i18n";
import { useSession } from "../session/session";

interface TestSendFormProps {
  templateName: string;
  content: Schemas["TemplateContent"];
  /** Send it as a customer reading this locale gets it (the editor's selected language). */
  locale?: string;
}

type SendState =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "sent"; sent: Schemas["TemplateTestSent"] }
  | { kind: "failed"; message: string };

function whereItWent(sent: Schemas["TemplateTestSent"], t: Translate): string {
  const params = { subject: sent.subject, to: sent.to, transport: sent.transport };
  return sent.transport === "outbox" ? t("templates.testSend.outbox", params) : t("templates.testSend.through", params);
}

export function TestSendForm({ templateName, content, locale }: TestSendFormProps) {
  const { api } = useSession();
  const t = useT();
  const id = useId();
  const [to, setTo] = useState("");
  const [state, setState] = useState<SendState>({ kind: "idle" });

  async function send(event: FormEvent) {
    event.preventDefault();
    setState({ kind: "sending" });
    try {
      const sent = await unwrap(
        api.POST("/api/v1/templates/{template}/test-send", {
          params: { path: { template: templateName } },
          body: { to: to.trim(), content, currency: "USD", ...(locale === undefined ? {} : { locale }) },
        }),
      );
      setState({ kind: "sent", sent });
    } catch (error) {
      setState({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <form className="test-send" onSubmit={(event) => void send(event)}>
      <label htmlFor={id}>{t("templates.testSend.to")}</label>
      <div className="test-send__row">
        <input
          id={id}
          type="email"
          required
          autoComplete="email"
          value={to}
          onChange={(event) => setTo(event.target.value)}
          placeholder="you@example.com"
        />
        <button type="submit" className="button--secondary" disabled={state.kind === "sending"}>
          {state.kind === "sending" ? t("templates.testSend.sending") : t("templates.testSend.send")}
        </button>
      </div>
      {state.kind === "sent" ? (
        <p className="hint" role="status">
          {whereItWent(state.sent, t)}
        </p>
      ) : null}
      {state.kind === "failed" ? (
        <p className="notice notice--error" role="alert">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
