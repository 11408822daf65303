"""Send an email from a template to the cart's customer."""

from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select

from engine.emails.email_context import Shop, email_context
from engine.emails.signed_links import unsubscribe_headers
from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.language.contracts import ActionRequest
from engine.service.frequency import capped_until
from engine.service.links import recovery_url, unsubscribe_url
from engine.service.shop_settings import effective_settings
from engine.service.step_emails import already_sent, store_email_once
from engine.store.models import Cart, Customer, DiscountCode, Order, Suppression
from engine.store.types import utcnow


class SendEmail(ActionParams, json_schema_extra={"x-step-id": "email"}):
    template: str = Field(
        "cart-reminder",
        title="Template",
        pattern=r"^[a-z0-9][a-z0-9\-]*$",
        json_schema_extra={"x-widget": "template"},
    )
    subject: str | None = Field(
        None,
        title="Subject",
        min_length=1,
        max_length=300,
        description="Replaces the template's own subject, in every language; leave it out to "
        "use the template's (in the customer's language).",
        json_schema_extra={"x-suggested": "You left something in your cart"},
    )


@action(label="Send email", category="Messages", messages_customer=True)
def send_email(ctx: ActionContext, params: SendEmail) -> ActionResult:
    """Render the template with the cart's (or order's) current contents and deliver it once."""
    with ctx.session() as session:
        if sent := already_sent(session, ctx.idempotency_key):
            return sent
        cart, order, customer = _subject(session, ctx.request)
        if customer is None:
            return ActionResult(status="skipped", reason="no known email for this journey")
        if session.get(Suppression, customer.email) is not None:
            return ActionResult(status="suppressed", reason="the address unsubscribed")
        cap = effective_settings(session, ctx.settings).email_cap  # the shop's, else the env's
        if allowed_at := capped_until(session, cap, customer, utcnow()):
            # The journey waits for this moment and runs the step again.
            return ActionResult(
                status="deferred", retry_at=allowed_at.isoformat(), reason="frequency cap"
            )
        key = ctx.idempotency_key
        unsubscribe = unsubscribe_url(ctx.settings, customer.id, key)
        shop, discount = Shop.from_settings(ctx.settings), journey_discount(session, ctx)

        def context(locale: str) -> dict[str, Any]:
            return email_context(
                cart or _order_as_cart(order),
                customer,
                shop,
                discount,
                order=order,
                # An order journey without a cart has no cart to go back to.
                cart_url=recovery_url(ctx.settings, cart.id, key) if cart else "",
                unsubscribe_url=unsubscribe,
                locale=locale,
            )

        return store_email_once(
            ctx,
            session,
            to_email=customer.email,
            cart_id=cart.id if cart else None,
            template=params.template,
            subject=params.subject,
            context=context,
            reader_locale=customer.locale,
            headers=unsubscribe_headers(unsubscribe),
        )


def _subject(
    session: Session, request: ActionRequest
) -> tuple[Cart | None, Order | None, Customer | None]:
    """The journey's cart and order as they are now, and whom to write to: the order's
    customer (a post-purchase journey), else the cart's."""
    cart = session.get(Cart, request.cart_id) if request.cart_id else None
    order = session.get(Order, request.order_id) if request.order_id else None
    customer_id = (order.customer_id if order else None) or (cart.customer_id if cart else None)
    customer = session.get(Customer, customer_id) if customer_id else None
    return cart, order, customer


def _order_as_cart(order: Order | None) -> Cart:
    """What `cart.*` shows in an order's email when the order came without a cart."""
    if order is None:
        return Cart(id="")
    return Cart(id=order.cart_id or order.id, total=order.total, currency=order.currency)


def journey_discount(session: Session, ctx: ActionContext) -> DiscountCode | None:
    """The newest code an earlier `create_discount` step of this journey made (its idempotency
    key starts with the journey's workflow id), so the email after it can show it."""
    return session.exec(
        select(DiscountCode)
        .where(col(DiscountCode.idempotency_key).startswith(f"{ctx.request.workflow_id}:"))
        .order_by(col(DiscountCode.created_at).desc(), col(DiscountCode.id).desc())
    ).first()
