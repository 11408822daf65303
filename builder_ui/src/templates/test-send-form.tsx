/** Sends what the editor shows (saved or not) to one address, and says where it went. */
import { type FormEvent, useId, useState } from "react";
import { type Schemas, unwrap } from "../api/client";
import { useSession } from "../session/session";

interface TestSendFormProps {
  templateName: string;
  content: Schemas["TemplateContent"];
}

type SendState =
  | { kind: "idle" }
  | { kind: "sending" }
  | { kind: "sent"; sent: Schemas["TemplateTestSent"] }
  | { kind: "failed"; message: string };

function whereItWent(sent: Schemas["TemplateTestSent"]): string {
  const what = `“${sent.subject}” went to ${sent.to}`;
  return sent.transport === "outbox"
    ? `${what}. With the outbox transport nothing leaves this machine: the message is in the outbox (GET /api/v1/outbox).`
    : `${what} through ${sent.transport}.`;
}

export function TestSendForm({ templateName, content }: TestSendFormProps) {
  const { api } = useSession();
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
          body: { to: to.trim(), content, currency: "USD" },
        }),
      );
      setState({ kind: "sent", sent });
    } catch (error) {
      setState({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <form className="test-send" onSubmit={(event) => void send(event)}>
      <label htmlFor={id}>Send a test to</label>
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
          {state.kind === "sending" ? "Sending…" : "Send test"}
        </button>
      </div>
      {state.kind === "sent" ? (
        <p className="hint" role="status">
          {whereItWent(state.sent)}
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
