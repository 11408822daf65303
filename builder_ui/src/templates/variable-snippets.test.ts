import { describe, expect, it } from "vitest";
import { type TemplateVariable, groupVariables, snippetFor } from "./variable-snippets";

function variable(name: string, changes: Partial<TemplateVariable> = {}): TemplateVariable {
  return { name, kind: "text", example: "", loop: null, optional: null, ...changes };
}

// As `GET /api/v1/templates/variables` answers (a subset, in its order).
const VARIABLES: TemplateVariable[] = [
  variable("customer.first_name", { example: "Jane" }),
  variable("cart.url", { kind: "url" }),
  variable("cart.total", { example: "$280.77" }),
  variable("cart.items", { kind: "list", example: "3 items" }),
  variable("item.name", { loop: "cart.items", example: "Premium Headphones" }),
  variable("item.image_url", { kind: "url", loop: "cart.items" }),
  variable("discount.code", { optional: "discount", example: "SAVE10-ABC123" }),
  variable("unsubscribe_url", { kind: "url" }),
];

function named(name: string): TemplateVariable {
  const found = VARIABLES.find((candidate) => candidate.name === name);
  if (!found) throw new Error(name);
  return found;
}

describe("variable snippets", () => {
  it("inserts a plain variable as {{ name }}", () => {
    expect(snippetFor(named("cart.total"), VARIABLES)).toBe("{{ cart.total }}");
    expect(snippetFor(named("unsubscribe_url"), VARIABLES)).toBe("{{ unsubscribe_url }}");
  });

  it("guards a variable a journey may not have, as the save-time checks require", () => {
    expect(snippetFor(named("discount.code"), VARIABLES)).toBe("{% if discount %}{{ discount.code }}{% endif %}");
  });

  it("inserts a list as a loop over its items, and an item's variable bare", () => {
    expect(snippetFor(named("cart.items"), VARIABLES)).toBe("{% for item in cart.items %}{{ item.name }}{% endfor %}");
    expect(snippetFor(named("item.name"), VARIABLES)).toBe("{{ item.name }}");
  });

  it("groups the picker by top-level name, loop items and optional groups apart", () => {
    expect(groupVariables(VARIABLES).map((group) => [group.label, group.variables.length])).toEqual([
      ["customer", 1],
      ["cart", 3],
      ["Inside {% for %} over cart.items", 2],
      ["discount (only when the journey has one)", 1],
      ["unsubscribe_url", 1],
    ]);
  });
});
