/** API answers the templates tests share, shaped like the real ones. */
import type { Schemas } from "../api/client";

export const MJML = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>Hi {{ customer.first_name }}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

export function summary(name: string, changes: Partial<Schemas["TemplateSummary"]> = {}): Schemas["TemplateSummary"] {
  return {
    id: `tpl_${name}`,
    name,
    description: "",
    current_version: 1,
    draft_version: null,
    updated_at: "2024-01-15T14:00:00Z",
    ...changes,
  };
}

type Version = Schemas["TemplateVersionPublic"];

/** A template whose one version is in English; `languages` gives it translations, and says
 * which languages of the shop's customers it lacks. */
export function templatePublic(
  name: string,
  changes: Partial<Schemas["TemplateSummary"]> = {},
  languages: { translations?: Version["translations"]; missing?: Schemas["MissingLocale"][] } = {},
): Schemas["TemplatePublic"] {
  return {
    ...summary(name, changes),
    missing_locales: languages.missing ?? [],
    versions: [
      {
        version: 1,
        status: "published",
        subject: "Your cart is waiting",
        mjml: MJML,
        text: "Hi {{ customer.first_name }}",
        locale: "en",
        translations: languages.translations ?? {},
        created_at: "2024-01-15T14:00:00Z",
        published_at: "2024-01-15T14:00:00Z",
      },
    ],
  };
}

export const VARIABLES: Schemas["TemplateVariable"][] = [
  { name: "customer.first_name", kind: "text", example: "Jane", loop: null, optional: null },
  { name: "cart.total", kind: "text", example: "$280.77", loop: null, optional: null },
  { name: "discount.code", kind: "text", example: "SAVE10-ABC123", loop: null, optional: "discount" },
];

export function preview(html: string, locale = "en"): Schemas["TemplatePreview"] {
  return { version: null, locale, subject: "Your cart is waiting", html, text: "Hi Jane" };
}
