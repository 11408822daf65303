"""Where a customer's personal data lives: every record that names them or their carts,
found by address. Erasure (engine/service/erasure.py) and the export
(engine/service/customer_export.py) read the same list, so what one reaches the other shows.
docs/privacy.md describes each place.
"""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from engine.service.lookups import normalised_email
from engine.store.models import (
    BulkMessageRun,
    Cart,
    Customer,
    DataRequest,
    DiscountCode,
    Enrolment,
    Event,
    JourneyRecord,
    Message,
    MessageEvent,
    Order,
    PlatformDelivery,
    SimulatedCart,
    Suppression,
)


@dataclass
class Holdings:
    """Everything held about one address, row by row."""

    customer: list[Customer]
    carts: list[Cart]
    orders: list[Order]
    events: list[Event]
    messages: list[Message]
    message_events: list[MessageEvent]
    enrolments: list[Enrolment]
    journey_records: list[JourneyRecord]
    discount_codes: list[DiscountCode]
    suppression: list[Suppression]
    data_requests: list[DataRequest]
    simulated_carts: list[SimulatedCart]
    platform_deliveries: list[PlatformDelivery]
    bulk_messages: list[BulkMessageRun]

    def counts(self) -> dict[str, int]:
        return {kind.name: len(getattr(self, kind.name)) for kind in fields(self)}

    def rows(self) -> dict[str, list[Any]]:
        return {kind.name: getattr(self, kind.name) for kind in fields(self)}


KINDS = tuple(kind.name for kind in fields(Holdings))


def mentions(column: Any, email: str) -> Any:
    """The rows whose JSON or text `column` holds the address (any case)."""
    return func.lower(cast(column, String)).contains(email, autoescape=True)


def find(session: Session, email: str) -> Holdings:
    email = normalised_email(email)
    customers = list(session.exec(select(Customer).where(Customer.email == email)).all())
    customer_ids = [c.id for c in customers]
    carts = list(session.exec(select(Cart).where(col(Cart.customer_id).in_(customer_ids))).all())
    cart_ids = [c.id for c in carts]
    orders = list(session.exec(select(Order).where(col(Order.customer_id).in_(customer_ids))).all())
    order_ids = [o.id for o in orders]
    events = list(
        session.exec(
            select(Event)
            .where(or_(col(Event.cart_id).in_(cart_ids), mentions(Event.data, email)))
            .order_by(col(Event.occurred_at), col(Event.id))
        ).all()
    )
    messages = list(
        session.exec(
            select(Message)
            .where(or_(col(Message.to_email) == email, col(Message.cart_id).in_(cart_ids)))
            .order_by(col(Message.id))
        ).all()
    )
    message_ids = [m.id for m in messages]
    message_events = list(
        session.exec(
            select(MessageEvent)
            .where(col(MessageEvent.message_id).in_(message_ids))
            .order_by(col(MessageEvent.id))
        ).all()
    )
    subjects = [*cart_ids, *order_ids]
    enrolments = list(
        session.exec(
            select(Enrolment).where(
                or_(
                    col(Enrolment.customer_id).in_(customer_ids),
                    col(Enrolment.cart_id).in_(cart_ids),
                    col(Enrolment.subject_id).in_(subjects),
                )
            )
        ).all()
    )
    journey_records = list(
        session.exec(
            select(JourneyRecord)
            .where(
                or_(
                    col(JourneyRecord.customer_id).in_(customer_ids),
                    col(JourneyRecord.cart_id).in_(cart_ids),
                    col(JourneyRecord.subject_id).in_(subjects),
                )
            )
            .order_by(col(JourneyRecord.workflow_id), col(JourneyRecord.seq))
        ).all()
    )
    codes = list(
        session.exec(
            select(DiscountCode).where(
                or_(
                    col(DiscountCode.customer_id).in_(customer_ids),
                    col(DiscountCode.cart_id).in_(cart_ids),
                )
            )
        ).all()
    )
    return Holdings(
        customer=customers,
        carts=carts,
        orders=orders,
        events=events,
        messages=messages,
        message_events=message_events,
        enrolments=enrolments,
        journey_records=journey_records,
        discount_codes=codes,
        suppression=[s for s in [session.get(Suppression, email)] if s is not None],
        data_requests=list(
            session.exec(select(DataRequest).where(DataRequest.email == email)).all()
        ),
        simulated_carts=list(
            session.exec(
                select(SimulatedCart).where(col(SimulatedCart.cart_id).in_(cart_ids))
            ).all()
        ),
        platform_deliveries=list(
            session.exec(
                select(PlatformDelivery).where(mentions(PlatformDelivery.detail, email))
            ).all()
        ),
        bulk_messages=list(
            session.exec(select(BulkMessageRun).where(mentions(BulkMessageRun.filter, email))).all()
        ),
    )


def forget_message(message: Message) -> None:
    """Keep what the results count of an email (its automation, step, cart id, status and
    moments) and nothing that names its recipient: address, rendered content, headers,
    provider id (Brevo's logs hold the address under it)."""
    message.to_email = ""
    message.subject = ""
    message.html = ""
    message.text = ""
    message.headers = {}
    message.error = None
    message.provider_message_id = None


def forget_event(event: Event, now: datetime) -> None:
    """Keep an event's id (a repeated delivery stays a duplicate), type and moments; drop its
    body and the journey effects derived from it (applied long ago, or never to be)."""
    event.data = {}
    event.effects = []
    event.applied_at = event.applied_at or now
