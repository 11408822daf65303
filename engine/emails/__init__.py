"""Email: rendering templates (MJML + sandboxed Jinja), their save-time checks, signed
links, and the transports that deliver (Brevo, the dev outbox)."""
