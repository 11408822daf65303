"""Delivery reports: what Brevo's webhooks tell of our messages, recorded once each.

Each event is matched to our `Message` by the provider's message id and recorded as a
`MessageEvent` whose dedupe key makes a repeated report count once. A hard bounce or a spam
complaint puts the address on the suppression list; an unsubscribe goes through event
ingestion like a shop's `unsubscribed` event, which suppresses the address and signals the
customer's running journeys. Events of messages we do not know (sent by something else on the
same Brevo account) are logged and ignored: an error answer would only make Brevo send them
again.
"""

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select
from temporalio.client import Client

from engine.emails.transports import canonical_message_id
from engine.language.events import Event, UnsubscribedData, UnsubscribedEvent
from engine.runtime.settings import Settings
from engine.service import erased_addresses
from engine.service.ingest import ingest
from engine.service.temporal import reachable
from engine.store.models import Customer, Message, MessageEvent, Suppression
from engine.store.types import utcnow

logger = logging.getLogger(__name__)

SOURCE = "brevo"
# Brevo's transactional event names → ours. Others (request, deferred, blocked, invalid_email,
# error...) are acknowledged and ignored. A privacy proxy's open (Apple Mail fetches every
# image) is kept apart from a person's: results count it as `proxy_opened`, not as a read.
EVENTS = {
    "delivered": "delivered",
    "opened": "opened",
    "unique_opened": "opened",  # the first open; the same open is reported as `opened` too
    "proxy_open": "proxy_opened",
    "unique_proxy_open": "proxy_opened",
    "click": "clicked",
    "soft_bounce": "soft_bounce",
    "hard_bounce": "hard_bounce",
    "spam": "complaint",  # the docs' payloads say `spam`, some of their pages `complaint`
    "complaint": "complaint",
    "unsubscribed": "unsubscribed",
}
SUPPRESSING = {"hard_bounce", "complaint"}  # the address must never be mailed again


class BrevoEvent(BaseModel):
    """The fields of a transactional webhook call we read (Brevo sends many more)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    event: str
    message_id: str | None = Field(None, alias="message-id")
    # `ts_event` and `ts` are UTC epoch seconds, `ts_epoch` milliseconds; `date` is Brevo's
    # local time (CET/CEST) and never read.
    ts_event: int | None = None
    ts_epoch: int | None = None
    ts: int | None = None
    link: str | None = None
    reason: str | None = None
    tags: Any = None  # a list of strings, as documented; kept only if it is one
    custom: str | None = Field(None, alias="X-Mailin-custom")


@dataclass
class Recorded:
    recorded: int = 0  # new message events
    repeated: int = 0  # reports we had already recorded
    ignored: int = 0  # events we do not track, or that are not events at all
    unknown: int = 0  # events of messages that are not ours


async def record_brevo_events(
    session: Session, settings: Settings, client: Client | None, payloads: list[Any]
) -> Recorded:
    """Record each event once; Temporal is needed only when someone unsubscribed (None: it
    cannot be reached, and then only such a report fails, `Unavailable`)."""
    result = Recorded()
    unsubscribes: list[Event] = []
    for payload in payloads:
        try:
            event = BrevoEvent.model_validate(payload)
        except ValidationError:
            result.ignored += 1
            continue
        kind = EVENTS.get(event.event)
        if kind is None or not event.message_id:
            result.ignored += 1
            continue
        message = _message(session, event.message_id)
        if message is None or message.id is None:
            logger.warning(
                "Brevo reported %s for unknown message %s", event.event, event.message_id
            )
            result.unknown += 1
            continue
        occurred_at = _occurred_at(event)
        if _record(session, message.id, kind, occurred_at, event, payload):
            result.recorded += 1
        else:
            result.repeated += 1
        # Repeats too: the suppression is idempotent, and a repeated unsubscribe finishes
        # what an attempt that could not reach Temporal began.
        if kind in SUPPRESSING:
            _suppress(session, message.to_email, kind)
        elif kind == "unsubscribed":
            if unsubscribe := _unsubscribe(session, message, occurred_at):
                unsubscribes.append(unsubscribe)
    if unsubscribes:
        # Commits (the events above with it) before it signals the customers' journeys.
        await ingest(session, reachable(client), settings, unsubscribes)
    return result


def _message(session: Session, provider_id: str) -> Message | None:
    canonical = canonical_message_id(provider_id)
    forms = {canonical, canonical.strip("<>")}
    return session.exec(
        select(Message).where(col(Message.provider_message_id).in_(sorted(forms)))
    ).first()


def _occurred_at(event: BrevoEvent) -> datetime:
    if event.ts_event is not None:
        return datetime.fromtimestamp(event.ts_event, UTC)
    if event.ts_epoch is not None:
        return datetime.fromtimestamp(event.ts_epoch / 1000, UTC)
    if event.ts is not None:
        return datetime.fromtimestamp(event.ts, UTC)
    return utcnow()


def _record(
    session: Session,
    message_id: int,
    kind: str,
    occurred_at: datetime,
    event: BrevoEvent,
    payload: Any,
) -> bool:
    """Insert the event unless its dedupe key is known; whether it was new."""
    if event.ts_event is not None or event.ts_epoch is not None or event.ts is not None:
        moment = str(int(occurred_at.timestamp()))
    else:  # no time at all: only an identical report is the same one
        moment = _digest(json.dumps(payload, sort_keys=True, default=str))
    dedupe_key = f"{SOURCE}:{message_id}:{kind}:{moment}"
    if event.link:
        dedupe_key += f":{_digest(event.link)}"
    detail = {
        "brevo_event": event.event,
        **{
            name: value
            for name, value in (
                ("link", event.link),
                ("reason", event.reason),
                ("tags", event.tags if isinstance(event.tags, list) else None),
                ("custom", event.custom),
            )
            if value
        },
    }
    values = {
        "message_id": message_id,
        "event": kind,
        "source": SOURCE,
        "occurred_at": occurred_at,
        "dedupe_key": dedupe_key,
        "detail": detail,
    }
    return _insert_if_absent(session, MessageEvent, values, "dedupe_key")


def _suppress(session: Session, email: str, reason: str) -> None:
    if not email.strip() or erased_addresses.was_erased(session, email):
        return  # an erased message (no address), or an erased address: suppressed by its hash
    values = {"email": email.strip().lower(), "reason": reason, "created_at": utcnow()}
    _insert_if_absent(session, Suppression, values, "email")


def _unsubscribe(
    session: Session, message: Message, occurred_at: datetime
) -> UnsubscribedEvent | None:
    """The `unsubscribed` event ingestion applies for a known customer (suppress, then signal
    their journeys); for anybody else (the owner's notifications) the suppression is all."""
    email = message.to_email.strip().lower()
    customer = session.exec(select(Customer).where(Customer.email == email)).first()
    if customer is not None:
        try:
            return UnsubscribedEvent(
                event="unsubscribed",
                timestamp=occurred_at,
                id=f"brevo-unsubscribed-{message.id}",  # one per message, however often told
                data=UnsubscribedData(customer_email=email),
            )
        except ValidationError:
            logger.warning("message %s: its address cannot be ingested", message.id)
    _suppress(session, email, "unsubscribed")
    return None


def _insert_if_absent(
    session: Session, table: type[Any], values: dict[str, Any], unique: str
) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING: safe against a concurrent identical report.

    RETURNING tells whether the row went in (psycopg reports no rowcount here)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[unique])
        .returning(getattr(table, unique))
    )
    return session.exec(statement).first() is not None


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
