"""Webhook calls from shop platforms (engine.platforms): verified, mapped to our events,
orders linked to their carts, and ingested exactly as `POST /api/v1/events` ingests.

A call's events get ids derived from the platform's delivery id (`shopify_{id}:{index}`),
so a repeated delivery (platforms retry) applies nothing twice, through the same event ids
that make any event apply once; a platform module may name its events itself (WooCommerce:
one id per step of an order, as its many `order.updated` calls repeat the same steps).
Each call is recorded (`PlatformDelivery`) for the Integrations page: what came, when, and
what we did with it.

A privacy request (Shopify's mandatory `customers/data_request`, `customers/redact`,
`shop/redact`) is carried out by engine/service/privacy_requests.py; a repeated delivery id
does nothing again (a redaction repeated after the address came back would erase what came
later).
"""

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import SecretStr, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from temporalio.client import Client

from engine.language.events import Event, OrderEvent
from engine.platforms import Mapped, PlatformEvent, PrivacyRequest, UnmappablePayload
from engine.runtime.settings import Settings
from engine.service import customers, ingest, privacy_requests
from engine.service.lookups import customer_by_email, normalised_email
from engine.store import models
from engine.store.types import utcnow

Result = Literal["applied", "duplicate", "ignored", "failed"]
Mapper = Callable[[str, dict[str, Any]], Mapped]
_DELIVERY_ID = re.compile(r"^[\x21-\x7e]{1,150}$")  # printable ASCII: it names event ids


def platform_signature(secret: str, body: bytes) -> str:
    """Shopify's and WooCommerce's scheme: the base64 HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_matches(secret: SecretStr | None, body: bytes, given: str | None) -> bool:
    """Whether `given` is the body's `platform_signature` under `secret`. No secret
    configured: nothing matches."""
    key = secret.get_secret_value() if secret is not None else ""
    if not key or not given:
        return False
    # As bytes: `compare_digest` raises on a str holding anything but ASCII, which a forged
    # header may (a 500 instead of a 401).
    expected = platform_signature(key, body).encode()
    return hmac.compare_digest(expected, given.strip().encode("utf-8", "replace"))


def delivery_id_of(given: str | None, body: bytes) -> str:
    """The platform's delivery id, else (missing or unusable) one derived from the body, so a
    resent body is still recognised."""
    if given and _DELIVERY_ID.match(given.strip()):
        return given.strip()
    return "body-" + hashlib.sha256(body).hexdigest()[:40]


@dataclass(frozen=True)
class Received:
    result: Result
    event_ids: list[str]
    detail: str = ""


async def receive(
    session: Session,
    client: Client,
    settings: Settings,
    *,
    platform: str,
    delivery_id: str,
    topic: str,
    payload: dict[str, Any],
    mapper: Mapper,
) -> Received:
    """Map, link and ingest one verified webhook call, and record it. A payload we cannot map
    is recorded as failed (the caller still answers 2xx: a platform retrying a payload that
    can never map, then dropping the subscription, helps nobody). Temporal being unreachable
    propagates (`Unavailable`): the platform retries and the stored events finish then."""
    try:
        mapped = mapper(topic, payload)
        events = _linked_all(session, settings, mapped.events)
    except (ValidationError, UnmappablePayload) as error:
        received = Received("failed", [], _reason(error))
    else:
        for update in mapped.customers:
            customers.learn(customer_by_email(session, update.email), update.facts)
        if mapped.privacy is not None:
            received = await _privacy_request(
                session, client, settings, platform, delivery_id, mapped.privacy
            )
        elif not mapped.known:
            received = Received("ignored", [], f"topic {topic!r} is not one we map")
        elif not events:
            session.commit()  # the customer updates, if any
            received = Received("applied", [], "" if mapped.customers else "nothing to do")
        else:
            named = [
                event
                if event.id is not None
                else event.model_copy(update={"id": f"{platform}_{delivery_id}:{index}"})
                for index, event in enumerate(events)
            ]
            accepted = await ingest.accept(session, client, settings, named, batch=True)
            repeat = all(answer.duplicate for answer in accepted)
            received = Received("duplicate" if repeat else "applied", [a.id for a in accepted])
    _record(session, platform, delivery_id, topic, received)
    return received


async def _privacy_request(
    session: Session,
    client: Client,
    settings: Settings,
    platform: str,
    delivery_id: str,
    request: PrivacyRequest,
) -> Received:
    done_before = session.exec(
        select(models.PlatformDelivery.id).where(
            models.PlatformDelivery.platform == platform,
            models.PlatformDelivery.delivery_id == delivery_id,
            col(models.PlatformDelivery.result).in_(("applied", "duplicate")),
        )
    ).first()
    if done_before is not None:
        return Received("duplicate", [])
    done = await privacy_requests.carry_out(
        session, client, settings, platform=platform, request=request
    )
    return Received(done.result, [], done.detail)


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"the payload does not map: {where}: {first['msg']}"[:500]
    return f"the payload does not map: {error}"[:500]


def _linked_all(session: Session, settings: Settings, items: list[PlatformEvent]) -> list[Event]:
    """Each event linked (`_linked`); the events of one order in one call share the cart the
    first of them found (dated by their own steps, their attribution windows differ)."""
    carts: dict[str, str] = {}
    linked = []
    for item in items:
        event = item.event
        if isinstance(event, OrderEvent) and event.data.cart_id is None:
            if (cart_id := carts.get(event.data.order_id)) is not None:
                data = event.data.model_copy(update={"cart_id": cart_id})
                event = event.model_copy(update={"data": data})
            else:
                event = _linked(session, settings, item)
        if isinstance(event, OrderEvent) and event.data.cart_id is not None:
            carts.setdefault(event.data.order_id, event.data.cart_id)
        linked.append(event)
    return linked


def _linked(session: Session, settings: Settings, item: PlatformEvent) -> Event:
    """An order event with its cart: the cart an earlier event of the order linked, else the
    first of the platform's cart ids we track, else the customer's latest cart abandoned
    within the attribution window before the order. Unlinked, it keeps the platform's id."""
    event = item.event
    if not isinstance(event, OrderEvent) or event.data.cart_id is not None:
        return event
    known = session.get(models.Order, event.data.order_id)
    cart_id = (known.cart_id if known is not None else None) or next(
        (cart_id for cart_id in item.cart_ids if session.get(models.Cart, cart_id) is not None),
        None,
    )
    if cart_id is None and event.data.customer_email:
        cart_id = _latest_cart_of(
            session, event.data.customer_email, event.timestamp, settings.attribution_window
        )
    cart_id = cart_id or next(iter(item.cart_ids), None)
    if cart_id is None:
        return event
    return event.model_copy(update={"data": event.data.model_copy(update={"cart_id": cart_id})})


def _latest_cart_of(session: Session, email: str, at: datetime, window: Any) -> str | None:
    """The customer's cart abandoned most recently within `window` before `at`, else their
    most recently active cart in that time."""
    customer = session.exec(
        select(models.Customer).where(models.Customer.email == normalised_email(email))
    ).first()
    if customer is None:
        return None
    since = at - window
    for status, when in (
        ("abandoned", models.Cart.abandoned_at),
        ("active", models.Cart.updated_at),
    ):
        found = session.exec(
            select(models.Cart.id)
            .where(
                models.Cart.customer_id == customer.id,
                models.Cart.status == status,
                col(when) >= since,
                col(when) <= at,
            )
            .order_by(col(when).desc())
            .limit(1)
        ).first()
        if found is not None:
            return found
    return None


def _record(
    session: Session, platform: str, delivery_id: str, topic: str, received: Received
) -> None:
    """One row per delivery id: a repeat counts on the first one's row."""
    for _ in range(2):  # a simultaneous first delivery of the same id may insert first
        row = session.exec(
            select(models.PlatformDelivery).where(
                models.PlatformDelivery.platform == platform,
                models.PlatformDelivery.delivery_id == delivery_id,
            )
        ).first()
        if row is None:
            row = models.PlatformDelivery(platform=platform, delivery_id=delivery_id, topic=topic,
                                          result=received.result, times_received=0)  # fmt: skip
        row.times_received += 1
        if received.result != "duplicate" or row.id is None:  # a repeat keeps what we did
            row.topic, row.result, row.detail = topic[:100], received.result, received.detail
        row.received_at = utcnow()
        session.add(row)
        try:
            session.commit()
            return
        except IntegrityError:
            session.rollback()
