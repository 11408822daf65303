/** Picks one of the variables a send provides and inserts it where the marketer was typing. */
import { useId, useState } from "react";
import { useT } from "../i18n/i18n";
import { type TemplateVariable, groupVariables, snippetFor } from "./variable-snippets";

interface VariablePickerProps {
  variables: readonly TemplateVariable[];
  onInsert: (snippet: string) => void;
  /** Where the snippet goes, for the hint ("the MJML source"). */
  target: string;
}

export function VariablePicker({ variables, onInsert, target }: VariablePickerProps) {
  const t = useT();
  const id = useId();
  const [chosen, setChosen] = useState("");
  const variable = variables.find((candidate) => candidate.name === chosen);

  return (
    <div className="variable-picker">
      <label htmlFor={id}>{t("templates.variables.label")}</label>
      <div className="variable-picker__row">
        <select id={id} value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">{t("templates.variables.choose")}</option>
          {groupVariables(variables, t).map((group) => (
            <optgroup key={group.label} label={group.label}>
              {group.variables.map((option) => (
                <option key={option.name} value={option.name}>
                  {option.name}
                  {option.example ? ` — ${option.example}` : ""}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button
          type="button"
          className="button--secondary"
          disabled={variable === undefined}
          onClick={() => variable && onInsert(snippetFor(variable, variables))}
        >
          {t("templates.variables.insert")}
        </button>
      </div>
      <p className="hint">
        {variable?.loop
          ? t("templates.variables.onlyInLoop", { loop: variable.loop })
          : variable?.optional
            ? t("templates.variables.insideIf", { group: variable.optional })
            : ""}
        {t("templates.variables.goesInto", { target })}
      </p>
    </div>
  );
}
