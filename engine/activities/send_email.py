"""Send an email from a template to the cart's customer."""

from typing import Any

from pydantic import Field
from sqlmodel import Session, col, select
from temporalio.exceptions import ApplicationError

from engine.activities.registry import ActionContext, ActionParams, ActionResult, action
from engine.contracts import ActionRequest
from engine.emails import RenderFailed, Shop, TemplateNotFound, email_context
from engine.links import unsubscribe_headers
from engine.service.frequency import capped_until
from engine.service.links import recovery_url, unsubscribe_url
from engine.service.shop_settings import effective_settings
from engine.service.templates import render_published
from engine.store.models import Cart, Customer, DiscountCode, Message, Order, Suppression
from engine.store.types import utcnow
from engine.transports import OutgoingEmail, send_once, transport_for


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
        description="Replaces the template's own subject; leave it out to use that one.",
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
        context = email_context(
            cart or _order_as_cart(order),
            customer,
            Shop.from_settings(ctx.settings),
            journey_discount(session, ctx),
            order=order,
            # An order journey without a cart has no cart to go back to.
            cart_url=recovery_url(ctx.settings, cart.id, key) if cart else "",
            unsubscribe_url=unsubscribe,
        )
        return store_email_once(
            ctx,
            session,
            to_email=customer.email,
            cart_id=cart.id if cart else None,
            template=params.template,
            subject=params.subject,
            context=context,
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


def store_email_once(
    ctx: ActionContext,
    session: Session,
    *,
    to_email: str,
    cart_id: str | None,
    template: str,
    subject: str | None,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> ActionResult:
    """Render the email and send it once under the step's idempotency key (engine.transports).

    Callers check `already_sent` first, so a retry of a sent email does not render again.
    """
    try:
        email = render_published(session, template, context, subject)
    except (TemplateNotFound, RenderFailed) as error:
        raise ApplicationError(str(error), non_retryable=True) from error
    sent = send_once(
        session,
        # The sender the shop set now (the row is in the session's identity map by then).
        transport_for(effective_settings(session, ctx.settings)),
        OutgoingEmail(
            idempotency_key=ctx.idempotency_key,
            to_email=to_email,
            subject=email.subject,
            html=email.html,
            text=email.text,
            headers={
                "X-Boomerang-Journey": ctx.request.workflow_id,
                "X-Boomerang-Step": ctx.request.step_id,
                "Idempotency-Key": ctx.idempotency_key,
                **(headers or {}),
            },
            journey_id=ctx.request.workflow_id,
            step_id=ctx.request.step_id,
        ),
        automation_id=ctx.request.automation_id,
        cart_id=cart_id,
    )
    repeated = {"repeated": True} if sent.repeated else {}
    return ActionResult(status="sent", message_id=sent.message_id, **repeated)


def already_sent(session: Session, key: str) -> ActionResult | None:
    existing = session.exec(select(Message).where(Message.idempotency_key == key)).first()
    if existing is None or existing.status == "sending":  # `send_once` finishes a `sending` one
        return None
    return ActionResult(status=existing.status, message_id=existing.id, repeated=True)


def journey_discount(session: Session, ctx: ActionContext) -> DiscountCode | None:
    """The newest code an earlier `create_discount` step of this journey made (its idempotency
    key starts with the journey's workflow id), so the email after it can show it."""
    return session.exec(
        select(DiscountCode)
        .where(col(DiscountCode.idempotency_key).startswith(f"{ctx.request.workflow_id}:"))
        .order_by(col(DiscountCode.created_at).desc(), col(DiscountCode.id).desc())
    ).first()
