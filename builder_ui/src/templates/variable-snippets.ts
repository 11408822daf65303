/**
 * What the variable picker inserts for each variable of `GET /api/v1/templates/variables`:
 * `{{ cart.total }}`, guarded by `{% if discount %}` when the journey may have none (the
 * save-time checks render without a discount too), and a whole loop for a list.
 */
import type { Schemas } from "../api/client";
import { type Translate, translate } from "../i18n/i18n";

export type TemplateVariable = Schemas["TemplateVariable"];

function guarded(variable: TemplateVariable, snippet: string): string {
  return variable.optional ? `{% if ${variable.optional} %}${snippet}{% endif %}` : snippet;
}

/** The loop variable the API names a list's items with (`item` for `cart.items`). */
function itemNameOf(list: TemplateVariable, all: readonly TemplateVariable[]): string {
  const member = all.find((variable) => variable.loop === list.name);
  return member?.name.split(".")[0] ?? "item";
}

export function snippetFor(variable: TemplateVariable, all: readonly TemplateVariable[]): string {
  if (variable.kind === "list") {
    const item = itemNameOf(variable, all);
    const firstField = all.find((other) => other.loop === variable.name && other.kind === "text");
    const body = firstField ? `{{ ${firstField.name} }}` : `{{ ${item} }}`;
    return guarded(variable, `{% for ${item} in ${variable.name} %}${body}{% endfor %}`);
  }
  // A loop's variables exist only inside their loop: the picker says so, the marketer places them.
  if (variable.loop) return `{{ ${variable.name} }}`;
  return guarded(variable, `{{ ${variable.name} }}`);
}

export interface VariableGroup {
  label: string;
  variables: TemplateVariable[];
}

/** Groups for the picker, in the API's order: by top-level name, loop items apart. */
export function groupVariables(
  variables: readonly TemplateVariable[],
  t: Translate = (key, params) => translate("en", key, params),
): VariableGroup[] {
  const groups = new Map<string, TemplateVariable[]>();
  for (const variable of variables) {
    const label = variable.loop
      ? t("templates.variables.loopGroup", { loop: variable.loop })
      : variable.optional
        ? t("templates.variables.optionalGroup", { group: variable.optional })
        : (variable.name.split(".")[0] ?? variable.name);
    groups.set(label, [...(groups.get(label) ?? []), variable]);
  }
  return [...groups].map(([label, members]) => ({ label, variables: members }));
}
