"""A journey step's email, sent once: rendered from the published template and handed to the
transport under the step's idempotency key, in the language the fallback chain chooses for
its reader (engine.emails.locales). Used by every action that emails (send_email,
notify_owner)."""

from collections.abc import Callable, Mapping
from typing import Any

from sqlmodel import Session, select
from temporalio.exceptions import ApplicationError

from engine.emails.rendering import RenderFailed, TemplateNotFound
from engine.emails.transports import OutgoingEmail, send_once, transport_for
from engine.language.actions import ActionContext, ActionResult
from engine.service.shop_settings import effective_settings
from engine.service.templates import render_published
from engine.store.models import Message


def store_email_once(
    ctx: ActionContext,
    session: Session,
    *,
    to_email: str,
    cart_id: str | None,
    template: str,
    subject: str | None,
    context: Callable[[str], Mapping[str, Any]],
    reader_locale: str | None,
    headers: dict[str, str] | None = None,
) -> ActionResult:
    """Render the email in the language chosen for a reader whose locale is `reader_locale`
    (the shop's when None), with the context `context` builds for the locale money and dates
    print in, and send it once under the step's idempotency key (transports).

    Callers check `already_sent` first, so a retry of a sent email does not render again.
    """
    try:
        email = render_published(
            session,
            template,
            context,
            subject,
            customer_locale=reader_locale,
            shop_locale=ctx.settings.shop_locale,
        )
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
            locale=email.locale,
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
