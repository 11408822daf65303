"""Email the shop owner (BOOMERANG_OWNER_EMAIL) about the cart."""

from pydantic import Field

from engine.emails.email_context import Shop, email_context
from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.service.step_emails import already_sent, store_email_once
from engine.store.models import Cart, Customer


class NotifyOwner(ActionParams):
    subject: str | None = Field(
        None,
        title="Subject",
        min_length=1,
        max_length=300,
        description="Replaces the template's own subject; leave it out to use that one.",
    )
    template: str = Field(
        "owner-notification",
        title="Template",
        pattern=r"^[a-z0-9][a-z0-9\-]*$",
        json_schema_extra={"x-widget": "template"},
    )


@action(label="Notify shop owner", category="Messages")
def notify_owner(ctx: ActionContext, params: NotifyOwner) -> ActionResult:
    with ctx.session() as session:
        # Before the setting: a retry reports what the first attempt stored, whatever changed.
        if sent := already_sent(session, ctx.idempotency_key):
            return sent
        owner = ctx.settings.owner_email
        if not owner:
            return ActionResult(status="skipped", reason="no owner address configured")
        cart = session.get(Cart, ctx.request.cart_id) if ctx.request.cart_id else None
        if cart is None:
            return ActionResult(status="skipped", reason="no cart")
        customer = session.get(Customer, cart.customer_id) if cart.customer_id else None
        return store_email_once(
            ctx,
            session,
            to_email=owner,
            cart_id=cart.id,
            template=params.template,
            subject=params.subject,
            # The owner reads the shop's language, whoever the customer is.
            context=lambda locale: email_context(
                cart, customer, Shop.from_settings(ctx.settings), locale=locale
            ),
            reader_locale=None,
        )
