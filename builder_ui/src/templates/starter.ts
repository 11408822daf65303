/** What a blank new template starts with: small, valid, and showing the usual variables. */
import type { Schemas } from "../api/client";

export const BLANK_STARTER: Schemas["TemplateContent"] = {
  subject: "{{ customer.first_name or 'Hi' }}, your cart is waiting",
  mjml: `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="20px">Hi {{ customer.first_name or 'there' }},</mj-text>
        <mj-text>You left {{ cart.item_count }} items ({{ cart.total }}) in your cart.</mj-text>
        <mj-button href="{{ cart.url }}">Back to your cart</mj-button>
        <mj-text font-size="12px"><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`,
  text: `Hi {{ customer.first_name or 'there' }},

You left {{ cart.item_count }} items ({{ cart.total }}) in your cart:
{{ cart.url }}

Unsubscribe: {{ unsubscribe_url }}
`,
};
