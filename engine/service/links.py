"""Recovery and unsubscribe links: the URLs emails carry, and what following them does.

A recovery link (`/r/<token>`) names a cart and the email it was in. Following it records a
click on that email, tells the email's journey `email_clicked` (a `wait_for_event` step wakes
up) and leads to the shop's cart. The same token lets a storefront read the cart's items
(`restore_cart`), on any device; a cart is never readable by its id alone.

An unsubscribe link (`/u/<token>`) names a customer (by id: no address in the link). It never
expires, since an authentic request to stop mail is always honoured; it puts the address on
the suppression list and stops the customer's running journeys, like an `unsubscribed` event.

Temporal being unreachable never costs the customer their cart or their unsubscribe: the
database writes come first and count on their own (every journey's check before each action
reads the suppression list); Temporal is told on a best-effort basis and it is logged.
"""

import asyncio
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from temporalio.client import Client
from temporalio.service import RPCError

from engine.emails.signed_links import LinkClaims, sign, verify
from engine.language.contracts import JourneySignal, journey_id
from engine.language.events import UnsubscribedData, UnsubscribedEvent
from engine.runtime.settings import Settings
from engine.service import journeys
from engine.service.errors import NotFound, Unavailable
from engine.service.ingest import ingest
from engine.service.temporal import reachable
from engine.store.models import Cart, Customer, Message, MessageEvent, Suppression, new_id
from engine.store.types import utcnow

logger = logging.getLogger(__name__)

SECRET_FILE = "link-secret"
MIN_SECRET_LENGTH = 16
# How long a customer's click may wait for Temporal before they get their cart anyway.
TEMPORAL_BUDGET_SECONDS = 3.0


# -- the links emails carry -----------------------------------------------------


def recovery_url(
    settings: Settings, cart_id: str, message_key: str, *, now: datetime | None = None
) -> str:
    """`{public_url}/r/<token>`: back to this cart, for `recovery_link_ttl` from `now`."""
    token = recovery_token(settings, cart_id, message_key, now=now)
    return f"{settings.resolved_public_url}/r/{token}"


def recovery_token(
    settings: Settings, cart_id: str, message_key: str, *, now: datetime | None = None
) -> str:
    expires_at = (now or utcnow()) + settings.recovery_link_ttl
    return sign(link_secret(settings), LinkClaims("r", cart_id, message_key, expires_at))


def unsubscribe_url(settings: Settings, customer_id: str, message_key: str) -> str:
    """`{public_url}/u/<token>`: unsubscribes this customer; it never expires."""
    token = sign(link_secret(settings), LinkClaims("u", customer_id, message_key))
    return f"{settings.resolved_public_url}/u/{token}"


def link_secret(settings: Settings) -> bytes:
    """`BOOMERANG_LINK_SECRET`, else one generated once and kept in the data dir (readable by
    its owner only), so links in sent emails keep working across restarts.

    Every process that signs or checks links (the worker and the API) must see the same
    secret: the same data dir, or the setting.
    """
    if settings.link_secret is not None:
        return settings.link_secret.get_secret_value().encode()
    path = settings.data_dir / SECRET_FILE
    if not path.is_file():
        _create_once(path, secrets.token_urlsafe(32))
    secret = path.read_text().strip()
    if len(secret) < MIN_SECRET_LENGTH:
        raise RuntimeError(f"{path} holds no usable link secret: delete it or set one")
    return secret.encode()


def _create_once(path: Path, value: str) -> None:
    """Write the file only if it does not exist, whole or not at all: the API and the worker
    may both start for the first time at once, and must end up with the same secret."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(value + "\n")
        os.link(draft, path)  # atomic, and fails if another process was first
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)


# -- following a recovery link ------------------------------------------------------


@dataclass(frozen=True)
class Followed:
    cart: Cart
    # None when neither the shop (`recovery_url`) nor the settings say where carts live.
    redirect_to: str | None


async def follow_recovery_link(
    session: Session,
    client: Client | None,
    settings: Settings,
    token: str,
    *,
    now: datetime | None = None,
) -> Followed:
    """Record the click on the link's email, wake its journey's `wait_for_event:
    email_clicked`, and say where the cart lives.

    Raises `InvalidLink`/`ExpiredLink` (engine.emails.signed_links) or `NotFound` (the cart
    is gone).
    Every click is recorded (one `clicked` message event each; attribution takes the first,
    counts take them all) and signalled with its own event id, so clicking again later still
    wakes a journey that has come to wait for a click since.
    """
    now = now or utcnow()
    claims = verify(link_secret(settings), token, "r", now)
    cart = session.get(Cart, claims.subject)
    if cart is None:
        raise NotFound("the link's cart is no longer here")
    message = _message(session, claims.message_key)
    if message is not None and message.id is not None:
        click = MessageEvent(
            message_id=message.id,
            event="clicked",
            source="link",
            occurred_at=now,
            dedupe_key=f"link:clicked:{message.id}:{new_id('clk')}",
            detail={"cart_id": cart.id},
        )
        session.add(click)
        session.commit()  # the click counts even if Temporal does not answer
        if workflow_id := _journey_of(message):
            await _signal_best_effort(
                client,
                [workflow_id],
                JourneySignal(event_id=f"click:{click.id}", event="email_clicked"),
            )
    return Followed(cart=cart, redirect_to=destination(settings, cart, token))


def destination(settings: Settings, cart: Cart, token: str) -> str | None:
    """The shop's own recovery URL for the cart, else the storefront template filled in."""
    if cart.recovery_url and cart.recovery_url.lower().startswith(("https://", "http://")):
        return cart.recovery_url
    if settings.storefront_cart_url:
        return settings.storefront_cart_url.format(cart_id=quote(cart.id, safe=""), token=token)
    return None


def restore_cart(
    session: Session, settings: Settings, cart_id: str, token: str, *, now: datetime | None = None
) -> Cart:
    """The cart a recovery link's token names, if it is `cart_id` (a link for another cart,
    like a forged or expired one, opens nothing)."""
    claims = verify(link_secret(settings), token, "r", now or utcnow())
    cart = session.get(Cart, cart_id) if claims.subject == cart_id else None
    if cart is None:
        raise NotFound(f"no cart {cart_id} for this link")
    return cart


# -- unsubscribing ----------------------------------------------------------------


def read_unsubscribe_link(settings: Settings, token: str) -> LinkClaims:
    """The link's claims, or `InvalidLink`; for the confirmation page (which changes nothing)."""
    return verify(link_secret(settings), token, "u", utcnow())


async def unsubscribe(
    session: Session,
    client: Client | None,
    settings: Settings,
    token: str,
    *,
    now: datetime | None = None,
) -> None:
    """Suppress the link's customer and stop their running journeys; repeating it is harmless.

    The suppression is written and committed first; then an `unsubscribed` event goes through
    ingestion (which signals every running journey of the customer). Its id is derived from
    the link, so a repeat is a duplicate once Temporal took the signals, and otherwise
    finishes what the earlier attempt could not.
    """
    now = now or utcnow()
    claims = verify(link_secret(settings), token, "u", now)
    customer = session.get(Customer, claims.subject)
    if customer is None:
        return  # erased: there is nobody left to write to
    _suppress(session, customer.email)
    if (message := _message(session, claims.message_key)) is not None and message.id:
        _record_once(session, message.id, "unsubscribed", now)
    event = UnsubscribedEvent(
        event="unsubscribed",
        timestamp=now,
        id=_unsubscribe_event_id(claims),
        data=UnsubscribedData(customer_email=customer.email),
    )
    try:
        async with asyncio.timeout(TEMPORAL_BUDGET_SECONDS):
            await ingest(session, reachable(client), settings, [event])
    except (Unavailable, TimeoutError) as error:
        logger.warning(
            "customer %s unsubscribed; their journeys stop at their next action check "
            "(Temporal was not told: %s)",
            customer.id,
            str(error) or "timed out",
        )
    except IntegrityError:
        session.rollback()  # a simultaneous repeat of the same link stored the event first


def _suppress(session: Session, email: str) -> None:
    if not email or session.get(Suppression, email) is not None:
        return  # no address: an erased message's link
    session.add(Suppression(email=email, reason="unsubscribed"))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # suppressed by a simultaneous request: just as good


def _record_once(session: Session, message_id: int, event: str, now: datetime) -> None:
    dedupe_key = f"link:{event}:{message_id}"
    if session.exec(select(MessageEvent.id).where(MessageEvent.dedupe_key == dedupe_key)).first():
        return
    session.add(
        MessageEvent(
            message_id=message_id,
            event=event,
            source="link",
            occurred_at=now,
            dedupe_key=dedupe_key,
        )
    )
    try:
        session.commit()
    except IntegrityError:
        session.rollback()


def _unsubscribe_event_id(claims: LinkClaims) -> str:
    digest = hashlib.sha256(f"{claims.subject}\n{claims.message_key}".encode()).hexdigest()
    return f"unsub_link_{digest[:24]}"


def _journey_of(message: Message) -> str | None:
    """The journey that sent the message: its key is `{workflow_id}:{step_id}`."""
    suffix = f":{message.step_id}"
    if message.step_id and message.idempotency_key.endswith(suffix):
        workflow_id = message.idempotency_key.removesuffix(suffix)
        if workflow_id.startswith("journey:"):
            return workflow_id
    if message.automation_id and message.cart_id:
        return journey_id(message.automation_id, message.cart_id)
    return None


def _message(session: Session, key: str) -> Message | None:
    return session.exec(select(Message).where(Message.idempotency_key == key)).first()


async def _signal_best_effort(
    client: Client | None, workflow_ids: list[str], signal: JourneySignal
) -> None:
    try:
        async with asyncio.timeout(TEMPORAL_BUDGET_SECONDS):
            await journeys.signal(reachable(client), workflow_ids, signal)
    except (Unavailable, RPCError, TimeoutError) as error:
        logger.warning(
            "%s recorded but not signalled to %s: %s",
            signal.event,
            ", ".join(workflow_ids),
            str(error) or "Temporal timed out",
        )
