"""Send an email from a template to the cart's customer."""

from datetime import UTC
from typing import Any

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from temporalio.exceptions import ApplicationError

from engine.activities.registry import ActionContext, ActionParams, ActionResult, action
from engine.emails import RenderFailed, TemplateNotFound, format_money, render_email
from engine.service.frequency import capped_until
from engine.store.models import Cart, Customer, DiscountCode, Message, Suppression
from engine.store.types import utcnow


class SendEmail(ActionParams):
    template: str = Field("cart-reminder", title="Template", pattern=r"^[a-z0-9][a-z0-9\-]*$")
    subject: str = Field(
        "You left something in your cart", title="Subject", min_length=1, max_length=300
    )


@action(label="Send email", category="Messages", messages_customer=True)
def send_email(ctx: ActionContext, params: SendEmail) -> ActionResult:
    """Render the template with the cart's current contents and deliver it once."""
    with ctx.session() as session:
        if sent := already_sent(session, ctx.idempotency_key):
            return sent
        cart = session.get(Cart, ctx.request.cart_id) if ctx.request.cart_id else None
        customer = session.get(Customer, cart.customer_id) if cart and cart.customer_id else None
        if cart is None or customer is None:
            return ActionResult(status="skipped", reason="no known email for this cart")
        if session.get(Suppression, customer.email) is not None:
            return ActionResult(status="suppressed", reason="the address unsubscribed")
        if allowed_at := capped_until(session, ctx.settings.email_cap, customer, utcnow()):
            # The journey waits for this moment and runs the step again.
            return ActionResult(
                status="deferred", retry_at=allowed_at.isoformat(), reason="frequency cap"
            )
        return store_email_once(
            ctx,
            session,
            to_email=customer.email,
            cart_id=cart.id,
            template=params.template,
            subject=params.subject,
            context=email_context(
                cart, customer, ctx.settings.shop_name, journey_discount(session, ctx)
            ),
        )


def store_email_once(
    ctx: ActionContext,
    session: Session,
    *,
    to_email: str,
    cart_id: str,
    template: str,
    subject: str,
    context: dict[str, Any],
) -> ActionResult:
    """Render the email and store it under the step's idempotency key (the outbox delivers it).

    Callers check `already_sent` first, so a retry does not render again.
    """
    try:
        email = render_email(ctx.settings.templates_dir, template, subject, context)
    except (TemplateNotFound, RenderFailed) as error:
        raise ApplicationError(str(error), non_retryable=True) from error
    message = Message(
        idempotency_key=ctx.idempotency_key,
        automation_id=ctx.request.automation_id,
        cart_id=cart_id,
        step_id=ctx.request.step_id,
        to_email=to_email,
        subject=email.subject,
        html=email.html,
        text=email.text,
        headers={
            "X-Boomerang-Journey": ctx.request.workflow_id,
            "X-Boomerang-Step": ctx.request.step_id,
            "Idempotency-Key": ctx.idempotency_key,
        },
        transport=ctx.settings.email_transport,
        status="sent",  # the outbox is the destination: stored is delivered
        sent_at=utcnow(),
    )
    session.add(message)
    try:
        session.flush()
    except IntegrityError:
        # A concurrent attempt of the same step stored it first: that one counts.
        session.rollback()
        if sent := already_sent(session, ctx.idempotency_key):
            return sent
        raise
    return ActionResult(status="sent", message_id=message.id)


def already_sent(session: Session, key: str) -> ActionResult | None:
    existing = session.exec(select(Message).where(Message.idempotency_key == key)).first()
    if existing is None:
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


def email_context(
    cart: Cart, customer: Customer | None, shop_name: str, discount: DiscountCode | None = None
) -> dict[str, Any]:
    """The variables a template sees; read at send time, so the email shows the cart as it is.

    `discount` is None when the journey made no code: templates test `{% if discount %}`."""
    items = [
        {
            "name": item.get("name", ""),
            "variant": item.get("variant"),
            "quantity": item.get("quantity", 1),
            "price": format_money(item.get("price", 0), cart.currency),
            "image_url": item.get("image_url"),
        }
        for item in cart.items
    ]
    return {
        # Guests have no customer row; the owner's notification still renders for them.
        "customer": {
            "first_name": customer.first_name if customer and customer.first_name else "",
            "email": customer.email if customer else "",
        },
        "cart": {
            "id": cart.id,
            "url": cart.recovery_url or "",
            "total": format_money(cart.total, cart.currency),
            "currency": cart.currency,
            "item_count": sum(int(item["quantity"]) for item in items),
            "items": items,
        },
        "shop": {"name": shop_name},
        "discount": _discount_variables(discount) if discount else None,
    }


def _discount_variables(discount: DiscountCode) -> dict[str, Any]:
    return {
        "code": discount.code,
        "percent": discount.percent,
        "expires_at": discount.expires_at.astimezone(UTC).strftime("%d %B %Y, %H:%M UTC"),
    }
