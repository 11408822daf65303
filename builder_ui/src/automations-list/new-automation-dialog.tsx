/**
 * "New automation": a name and a trigger, then `POST /api/v1/automations` with a small valid
 * definition (starter-definition.ts) and on to its editor, where the real work happens.
 */
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { unwrap } from "../api/client";
import { useT } from "../i18n/i18n";
import { useSession } from "../session/session";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { useApiData } from "../ui/use-api-data";
import {
  isTriggerEvent,
  STANDARD_TRIGGERS,
  starterDefinition,
  triggerLabel,
  type TriggerEvent,
} from "./starter-definition";

interface Choices {
  triggers: readonly TriggerEvent[];
  /** Published templates; null when the catalog could not be read. */
  templates: readonly string[] | null;
}

const WITHOUT_CATALOG: Choices = { triggers: STANDARD_TRIGGERS, templates: null };

function useChoices(): { choices: Choices; loading: boolean; failed: boolean } {
  const { api, can } = useSession();
  const mayRead = can("read_catalog");
  const { state } = useApiData(
    (signal) =>
      mayRead ? unwrap(api.GET("/api/v1/catalog", { signal })) : Promise.resolve(null),
    [api, mayRead],
  );
  if (state.kind === "loading") return { choices: WITHOUT_CATALOG, loading: true, failed: false };
  if (state.kind === "error" || state.data === null) {
    return { choices: WITHOUT_CATALOG, loading: false, failed: state.kind === "error" };
  }
  const triggers = state.data.triggers.filter(isTriggerEvent);
  return {
    choices: {
      triggers: triggers.length > 0 ? triggers : STANDARD_TRIGGERS,
      templates: state.data.templates,
    },
    loading: false,
    failed: false,
  };
}

export function NewAutomationDialog({ onCancel }: { onCancel: () => void }) {
  const { api } = useSession();
  const t = useT();
  const navigate = useNavigate();
  const { choices, loading, failed } = useChoices();
  const [name, setName] = useState("");
  const [trigger, setTrigger] = useState<TriggerEvent>("cart_abandoned");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const nameId = useId();
  const triggerId = useId();
  const hintId = useId();

  const create = async () => {
    const trimmed = name.trim();
    if (trimmed === "") {
      setError(t("automations-list.new.name-missing"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await unwrap(
        api.POST("/api/v1/automations", {
          body: {
            name: trimmed,
            active: false,
            definition: starterDefinition(trimmed, trigger, choices.templates),
          },
        }),
      );
      navigate(`/automations/${created.id}`);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!busy && !loading) void create();
  };

  return (
    <ConfirmDialog
      title={t("automations-list.new.title")}
      confirmLabel={t("automations-list.new.confirm")}
      busy={busy || loading}
      onConfirm={() => void create()}
      onCancel={onCancel}
    >
      <form onSubmit={submit} className="new-automation">
        <label htmlFor={nameId}>{t("automations-list.new.name")}</label>
        <input
          id={nameId}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={200}
          required
          aria-invalid={error !== null && name.trim() === ""}
        />
        <label htmlFor={triggerId}>{t("automations-list.new.trigger")}</label>
        <select
          id={triggerId}
          value={trigger}
          onChange={(event) => {
            if (isTriggerEvent(event.target.value)) setTrigger(event.target.value);
          }}
          aria-describedby={hintId}
        >
          {choices.triggers.map((event) => (
            <option key={event} value={event}>
              {triggerLabel(event, t)}
            </option>
          ))}
        </select>
        <p id={hintId} className="hint">
          {t("automations-list.new.hint")}
          {failed ? ` ${t("automations-list.new.no-catalog")}` : ""}
        </p>
      </form>
      {error === null ? null : (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </ConfirmDialog>
  );
}
