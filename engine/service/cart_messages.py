"""Messaging carts by hand: one template to one cart's customer, or to every cart a filter
matches (a bulk message: a dry run counts, the real run is BulkMessageWorkflow).

The same rules as a journey's email, in this order, each with its reason code: no customer
email (`no_email`), the suppression list (`suppressed`), consent while
`require_marketing_consent` is on (`no_consent`), the frequency cap (`frequency_cap`; these
emails count in it, engine.service.frequency). A send is recorded like a journey's email: a
`Message` under its idempotency key (`message:{cart_id}:{key}` for one,
`bulk:{run_id}:{cart_id}` in a bulk run), so a retried send never goes twice. It has no
automation (`automation_id` NULL): analytics of automations do not count it.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

from sqlmodel import Session, col, select
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError

from engine.emails.email_context import Shop, email_context
from engine.emails.rendering import RenderFailed, TemplateNotFound
from engine.emails.signed_links import unsubscribe_headers
from engine.emails.transports import OutgoingEmail, send_once, transport_for
from engine.language.carts import CartFilter
from engine.language.problems import Problem
from engine.runtime.settings import Settings
from engine.service import carts
from engine.service.errors import Conflict, DeliveryFailed, InvalidInput, NotFound
from engine.service.frequency import capped_until, recent_counts
from engine.service.links import recovery_url, unsubscribe_url
from engine.service.shop_settings import effective_settings
from engine.service.templates import render_published
from engine.store.models import (
    BulkMessageRun,
    Cart,
    Customer,
    Message,
    Suppression,
    Template,
    new_id,
)
from engine.store.types import utcnow
from engine.workflows.bulk_message import (
    REASONS,
    BulkCounts,
    BulkMessageRequest,
    BulkMessageWorkflow,
    BulkProgress,
    workflow_id,
)

Reason = Literal["suppressed", "no_consent", "frequency_cap", "no_email"]
assert get_args(Reason) == REASONS
MESSAGE_HEADER = "X-Boomerang-Cart-Message"
DRY_RUN_BATCH = 500


def _reason(
    customer: Customer | None, suppressed: bool, consent_required: bool, capped: bool
) -> Reason | None:
    """Why this cart's customer may not get the email now, or None: the one rule for a send
    and a dry run."""
    if customer is None:
        return "no_email"
    if suppressed:
        return "suppressed"
    if consent_required and customer.accepts_marketing is not True:
        return "no_consent"
    if capped:
        return "frequency_cap"
    return None


REFUSALS: dict[Reason, str] = {
    "no_email": "this cart has no customer email",
    "suppressed": "the customer's address is on the suppression list (unsubscribed)",
    "no_consent": "the customer has not accepted marketing, which the shop requires",
    "frequency_cap": "the customer has had as many emails as the frequency cap allows",
}


# -- one cart --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status: Literal["sent"] | Reason
    message_id: int | None = None


def check_template(session: Session, name: str) -> None:
    """A published template of this name exists (else 422 naming the field)."""
    found = session.exec(select(Template.current_version).where(Template.name == name)).first()
    if found is None:
        message = f"no published template named {name!r}"
        raise InvalidInput(
            "invalid_request", f"template: {message}", [Problem("template", message)]
        )


def send(
    session: Session,
    settings: Settings,
    cart_id: str,
    template: str,
    subject: str | None,
    key: str,
    *,
    now: datetime | None = None,
) -> Outcome:
    """Send the template to the cart's customer once under `key`, or say why not.

    Raises NotFound (no such cart), InvalidInput (no such template, or it does not render),
    and `ApplicationError` from the transport (engine.emails.transports.send_once)."""
    existing = session.exec(select(Message).where(Message.idempotency_key == key)).first()
    if existing is not None and existing.status == "sent":
        return Outcome("sent", existing.id)
    cart = session.get(Cart, cart_id)
    if cart is None:
        raise NotFound(f"no cart {cart_id}")
    customer = session.get(Customer, cart.customer_id) if cart.customer_id else None
    effective = effective_settings(session, settings)
    if existing is None and customer is not None:
        suppressed = session.get(Suppression, customer.email) is not None
        consent = effective.require_marketing_consent
        if reason := _reason(customer, suppressed, consent, False):
            return Outcome(reason)
        # Holds the customer's row to the end of the transaction (the commit in send_once).
        capped = capped_until(session, effective.email_cap, customer, now or utcnow())
        if capped is not None:
            session.rollback()
            return Outcome("frequency_cap")
    elif customer is None:
        return Outcome("no_email")
    assert customer is not None
    unsubscribe = unsubscribe_url(settings, customer.id, key)
    shop = Shop.from_settings(settings)

    def context(locale: str) -> dict[str, Any]:
        return email_context(
            cart,
            customer,
            shop,
            cart_url=recovery_url(settings, cart.id, key),
            unsubscribe_url=unsubscribe,
            locale=locale,
        )

    try:
        # In the customer's language when the template has it (engine.emails.locales).
        email = render_published(
            session,
            template,
            context,
            subject,
            customer_locale=customer.locale,
            shop_locale=settings.shop_locale,
        )
    except (TemplateNotFound, RenderFailed) as error:
        raise InvalidInput(
            "invalid_request", f"template: {error}", [Problem("template", str(error))]
        ) from error
    sent = send_once(
        session,
        transport_for(effective),
        OutgoingEmail(
            idempotency_key=key,
            to_email=customer.email,
            subject=email.subject,
            html=email.html,
            text=email.text,
            headers={
                MESSAGE_HEADER: cart.id,
                "Idempotency-Key": key,
                **unsubscribe_headers(unsubscribe),
            },
            locale=email.locale,
        ),
        cart_id=cart.id,
    )
    return Outcome("sent", sent.message_id)


def send_one(
    session: Session,
    settings: Settings,
    cart_id: str,
    template: str,
    subject: str | None,
    request_key: str | None = None,
) -> Message:
    """`POST /api/v1/carts/{id}/message`: the sent message, or `Conflict` with the reason code.
    `request_key` (the caller's `Idempotency-Key`) makes a repeated request send nothing more."""
    if session.get(Cart, cart_id) is None:
        raise NotFound(f"no cart {cart_id}")
    check_template(session, template)
    key = f"message:{cart_id}:{request_key or new_id('msg')}"
    try:
        outcome = send(session, settings, cart_id, template, subject, key)
    except ApplicationError as error:
        refused = session.exec(select(Message).where(Message.idempotency_key == key)).first()
        why = refused.error if refused is not None and refused.error else str(error)
        raise DeliveryFailed(why, retryable=not error.non_retryable) from error
    if outcome.status != "sent":
        raise Conflict(REFUSALS[outcome.status], code=outcome.status)
    message = session.get(Message, outcome.message_id)
    assert message is not None
    return message


# -- many carts ------------------------------------------------------------------------


@dataclass(frozen=True)
class DryRun:
    would_send: int
    skipped: dict[str, int]


def dry_run(
    session: Session, settings: Settings, criteria: CartFilter, *, now: datetime | None = None
) -> DryRun:
    """What a bulk message with this filter would do now, by the rules of `send`: the same
    matching carts (the same query), each judged as a send would judge it; sends planned to a
    customer earlier in the run count in their cap, as they will when the run sends."""
    now = now or utcnow()
    effective = effective_settings(session, settings)
    cap, consent = effective.email_cap, effective.require_marketing_consent
    skipped: dict[str, int] = dict.fromkeys(REASONS, 0)
    would_send = 0
    planned: dict[str, int] = {}
    after: str | None = None
    while True:
        query = carts.matching(session, settings, criteria, Cart.id, Customer, carts.suppressed())
        if after is not None:
            query = query.where(col(Cart.id) > after)
        rows = session.exec(query.order_by(col(Cart.id)).limit(DRY_RUN_BATCH)).all()
        emails = sorted({customer.email for _, customer, _ in rows if customer is not None})
        recent = recent_counts(session, cap, emails, now) if cap else {}
        for _, customer, suppressed in rows:
            capped = False
            if cap is not None and customer is not None:
                sends = recent.get(customer.email, 0) + planned.get(customer.email, 0)
                capped = sends >= cap.emails
            reason = _reason(customer, bool(suppressed), consent, capped)
            if reason is None:
                would_send += 1
                assert customer is not None
                planned[customer.email] = planned.get(customer.email, 0) + 1
            else:
                skipped[reason] += 1
        if len(rows) < DRY_RUN_BATCH:
            return DryRun(would_send=would_send, skipped=skipped)
        after = rows[-1][0]


async def start_bulk(
    client: Client,
    session: Session,
    settings: Settings,
    criteria: CartFilter,
    template: str,
    subject: str | None,
) -> BulkMessageRun:
    """Record the run (committed first: the workflow's activities read it), then start its
    workflow."""
    check_template(session, template)
    run = BulkMessageRun(
        filter=criteria.model_dump(mode="json", exclude_defaults=True),
        template=template,
        subject=subject,
        skipped=dict.fromkeys(REASONS, 0),
    )
    session.add(run)
    session.commit()
    await client.start_workflow(
        BulkMessageWorkflow.run,
        BulkMessageRequest(run_id=run.id),
        id=workflow_id(run.id),
        task_queue=settings.task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
    )
    return run


def run_of(session: Session, run_id: str) -> BulkMessageRun:
    run = session.get(BulkMessageRun, run_id)
    if run is None:
        raise NotFound(f"no bulk message {run_id}")
    return run


# -- the workflow's activities' use cases ------------------------------------------------


def _criteria(run: BulkMessageRun) -> CartFilter:
    return CartFilter.model_validate(run.filter)


def begin(session: Session, settings: Settings, run_id: str) -> int:
    """How many carts the run's filter matches as it starts (its `total`)."""
    run = run_of(session, run_id)
    run.total = carts.count(session, settings, _criteria(run))
    session.add(run)
    return run.total


def page(
    session: Session, settings: Settings, run_id: str, after: str | None, limit: int
) -> list[str]:
    return carts.ids_after(session, settings, _criteria(run_of(session, run_id)), after, limit)


def send_in_bulk(session: Session, settings: Settings, run_id: str, cart_id: str) -> str:
    """Send the run's template to one cart: `sent`, a reason code or `failed` (the provider
    refused it for good, or the cart was deleted since it was listed)."""
    run = run_of(session, run_id)
    try:
        outcome = send(session, settings, cart_id, run.template, run.subject,
                       f"bulk:{run_id}:{cart_id}")  # fmt: skip
    except NotFound:
        return "failed"  # deleted since it was listed
    except InvalidInput as error:  # the template was unpublished or no longer renders
        raise ApplicationError(error.message, non_retryable=True) from error
    except ApplicationError as error:
        if error.non_retryable:
            return "failed"
        raise
    return outcome.status


def record_progress(session: Session, progress: BulkProgress) -> None:
    run = run_of(session, progress.run_id)
    counts: BulkCounts = progress.counts
    run.total = max(run.total, counts.done)
    run.done, run.sent = counts.done, counts.sent
    run.skipped = {**counts.skipped, "failed": counts.failed}
    run.status = progress.status
    if progress.status != "running" and run.finished_at is None:
        run.finished_at = utcnow()
    session.add(run)


def report(run: BulkMessageRun) -> dict[str, Any]:
    return {
        "run_id": run.id,
        "status": run.status,
        "total": run.total,
        "done": run.done,
        "sent": run.sent,
        "skipped": {reason: run.skipped.get(reason, 0) for reason in REASONS},
        "failed": run.skipped.get("failed", 0),
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }
