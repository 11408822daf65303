"""Links in emails: the secret, the URLs, and what following them does when Temporal is down."""

import logging
import os
from datetime import timedelta
from decimal import Decimal

import pytest
from pydantic import SecretStr, ValidationError
from sqlmodel import select
from temporalio.client import Client

from engine.emails.signed_links import ExpiredLink, InvalidLink, LinkClaims, sign, verify
from engine.runtime.settings import Settings
from engine.service import links
from engine.service.errors import NotFound
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, Event, Message, MessageEvent, Suppression
from engine.store.types import utcnow

KEY = "journey:aut_links:cart_1:email-1"


# What the API passes while Temporal cannot be reached.
TEMPORAL_DOWN: Client | None = None


def _seed(url: str, recovery_url: str | None = "https://shop.example.com/cart/1") -> None:
    with session_scope(url) as session:
        session.add(Customer(id="cus_1", email="jane@example.com"))
        session.flush()
        session.add(
            Cart(
                id="cart_1",
                customer_id="cus_1",
                items=[{"id": "p1", "name": "Lamp", "price": "49.50", "quantity": 2}],
                total=Decimal("99.00"),
                currency="EUR",
                recovery_url=recovery_url,
            )
        )
        session.add(
            Message(
                idempotency_key=KEY,
                automation_id="aut_links",
                cart_id="cart_1",
                step_id="email-1",
                to_email="jane@example.com",
                subject="Still there?",
                html="<p>hi</p>",
                text="hi",
                transport="outbox",
                status="sent",
            )
        )


def _message_events(url: str) -> list[tuple[str, str]]:
    with session_scope(url) as session:
        return [(e.event, e.source) for e in session.exec(select(MessageEvent)).all()]


def test_the_secret_is_generated_once_kept_and_private(settings: Settings) -> None:
    first = links.link_secret(settings)
    again = links.link_secret(Settings(data_dir=settings.data_dir))

    assert first == again and len(first) >= 32
    assert os.stat(settings.data_dir / "link-secret").st_mode & 0o777 == 0o600


def test_a_configured_secret_wins_and_a_short_one_is_refused(settings: Settings) -> None:
    configured = settings.model_copy(update={"link_secret": SecretStr("s" * 40)})

    assert links.link_secret(configured) == b"s" * 40
    assert not (settings.data_dir / "link-secret").exists()
    with pytest.raises(ValidationError, match="link_secret"):
        Settings(link_secret="short")


def test_two_first_starts_at_once_keep_the_first_secret(settings: Settings) -> None:
    path = settings.data_dir / "link-secret"

    links._create_once(path, "the-first-one-to-get-there")
    links._create_once(path, "the-second-one-loses")

    assert path.read_text() == "the-first-one-to-get-there\n"
    assert [p.name for p in settings.data_dir.iterdir() if "link-secret" in p.name] == [path.name]


def test_links_point_at_the_public_url_and_recovery_links_expire(settings: Settings) -> None:
    settings = settings.model_copy(update={"public_url": "https://links.shop.example/"})
    now = utcnow()

    recovery = links.recovery_url(settings, "cart_1", KEY, now=now)
    unsubscribe = links.unsubscribe_url(settings, "cus_1", KEY)

    assert recovery.startswith("https://links.shop.example/r/")
    assert unsubscribe.startswith("https://links.shop.example/u/")
    claims = verify(links.link_secret(settings), recovery.rpartition("/")[2], "r", now)
    assert claims.expires_at is not None
    assert claims.expires_at - now < timedelta(days=30, seconds=1)
    assert "jane" not in unsubscribe


def test_the_public_url_defaults_to_the_api_port() -> None:
    assert Settings(port=8123).resolved_public_url == "http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "template", ["https://shop.example/{cart}", "/cart/{cart_id}", "https://shop.example/{"]
)
def test_a_storefront_template_must_be_a_web_address_with_known_placeholders(
    template: str,
) -> None:
    with pytest.raises(ValidationError, match="storefront_cart_url"):
        Settings(storefront_cart_url=template)


@pytest.mark.parametrize(
    ("recovery_url", "template", "expected"),
    [
        ("https://shop.example.com/cart/1", "https://s.example/c/{cart_id}", "shop"),
        (None, "https://s.example/c/{cart_id}?t={token}", "https://s.example/c/a%2Fb%20c?t=TOKEN"),
        ("javascript:alert(1)", "https://s.example/c/{cart_id}", "https://s.example/c/a%2Fb%20c"),
        (None, None, None),
    ],
)
def test_where_a_recovery_link_leads(
    recovery_url: str | None, template: str | None, expected: str | None
) -> None:
    settings = Settings(storefront_cart_url=template)
    cart = Cart(id="a/b c", recovery_url=recovery_url)

    found = links.destination(settings, cart, "TOKEN")

    assert found == (recovery_url if expected == "shop" else expected)


async def test_a_click_is_recorded_and_leads_to_the_cart_while_temporal_is_down(
    settings: Settings, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _seed(url)
    token = links.recovery_url(settings, "cart_1", KEY).rpartition("/")[2]

    with caplog.at_level(logging.WARNING), session_scope(url) as session:
        first = await links.follow_recovery_link(session, TEMPORAL_DOWN, settings, token)
        second = await links.follow_recovery_link(session, TEMPORAL_DOWN, settings, token)

    assert first.redirect_to == second.redirect_to == "https://shop.example.com/cart/1"
    assert _message_events(url) == [("clicked", "link"), ("clicked", "link")]
    assert "email_clicked recorded but not signalled" in caplog.text


async def test_a_link_to_a_cart_that_is_gone_opens_nothing(settings: Settings, url: str) -> None:
    token = links.recovery_url(settings, "cart_gone", KEY).rpartition("/")[2]

    with session_scope(url) as session, pytest.raises(NotFound):
        await links.follow_recovery_link(session, TEMPORAL_DOWN, settings, token)


def test_a_cart_is_restored_only_with_a_token_for_it(settings: Settings, url: str) -> None:
    _seed(url)
    secret = links.link_secret(settings)
    own = links.recovery_token(settings, "cart_1", KEY)
    other = links.recovery_token(settings, "cart_2", KEY)
    expired = sign(secret, LinkClaims("r", "cart_1", KEY, utcnow() - timedelta(seconds=1)))
    unsubscribe = sign(secret, LinkClaims("u", "cus_1", KEY))

    with session_scope(url) as session:
        assert links.restore_cart(session, settings, "cart_1", own).id == "cart_1"
        with pytest.raises(NotFound):
            links.restore_cart(session, settings, "cart_1", other)
        with pytest.raises(ExpiredLink):
            links.restore_cart(session, settings, "cart_1", expired)
        with pytest.raises(InvalidLink):
            links.restore_cart(session, settings, "cart_1", unsubscribe)


async def test_unsubscribing_while_temporal_is_down_still_suppresses(
    settings: Settings, url: str
) -> None:
    _seed(url)
    token = links.unsubscribe_url(settings, "cus_1", KEY).rpartition("/")[2]

    with session_scope(url) as session:
        await links.unsubscribe(session, TEMPORAL_DOWN, settings, token)
        await links.unsubscribe(session, TEMPORAL_DOWN, settings, token)

    with session_scope(url) as session:
        suppression = session.get(Suppression, "jane@example.com")
        assert suppression is not None and suppression.reason == "unsubscribed"
        assert session.exec(select(Event)).all() == [], "ingestion never started"
    assert _message_events(url) == [("unsubscribed", "link")]


async def test_an_erased_customer_unsubscribes_quietly(settings: Settings, url: str) -> None:
    token = links.unsubscribe_url(settings, "cus_erased", KEY).rpartition("/")[2]

    with session_scope(url) as session:
        await links.unsubscribe(session, TEMPORAL_DOWN, settings, token)
        assert session.exec(select(Suppression)).all() == []


@pytest.mark.parametrize(
    ("key", "step_id", "automation_id", "cart_id", "expected"),
    [
        ("journey:aut_1:order_9:email-1", "email-1", "aut_1", "cart_1", "journey:aut_1:order_9"),
        ("test-send:abc", None, "aut_1", "cart_1", "journey:aut_1:cart_1"),
        ("test-send:abc", None, None, "cart_1", None),
    ],
)
def test_the_journey_a_click_wakes_is_the_one_that_sent_the_email(
    key: str, step_id: str | None, automation_id: str | None, cart_id: str, expected: str | None
) -> None:
    message = Message(
        idempotency_key=key, step_id=step_id, automation_id=automation_id, cart_id=cart_id,
        to_email="jane@example.com", subject="s", html="h", text="t", transport="outbox",
    )  # fmt: skip

    assert links._journey_of(message) == expected
