"""Shop settings over the environment's, on a real database: what an admin sets is what the
engine then uses (sender, frequency cap, inactivity threshold, default quiet hours)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.language.definition import QuietHours
from engine.runtime.settings import FrequencyCap, Settings
from engine.service import shop_settings
from engine.service.enrolment import enrolments_for
from engine.service.idle_carts import abandon_idle_carts
from engine.service.shop_settings import ShopSettingsChange
from engine.store import models
from engine.store.db import session_scope
from tests.brevo_server import API_KEY, BrevoServer, running_brevo
from tests.engine.activities.support import seed_carts
from tests.engine.service.support import install_automation

NOW = datetime(2024, 1, 15, 15, 0, tzinfo=UTC)
NIGHT = {"start": "21:00", "end": "08:00", "timezone": "shop"}


def _set(settings: Settings, **changes: Any) -> None:
    with session_scope(settings.resolved_database_url) as session:
        shop_settings.update(session, ShopSettingsChange(**changes))


def _effective(settings: Settings) -> shop_settings.Effective:
    with session_scope(settings.resolved_database_url) as session:
        return shop_settings.effective(session, settings)


@pytest.mark.usefixtures("url")  # a migrated database
def test_without_shop_settings_the_environment_rules(settings: Settings) -> None:
    env = settings.model_copy(update={"frequency_cap": "2/1d", "sender_email": "env@shop.com"})

    now = _effective(env)

    assert now.settings.email_cap == FrequencyCap(2, timedelta(days=1))
    assert now.settings.sender_email == "env@shop.com"
    assert now.settings.inactivity_threshold == timedelta(minutes=30)
    assert (now.default_quiet_hours, now.from_shop) == (None, frozenset())


@pytest.mark.usefixtures("url")  # a migrated database
def test_shop_values_win_and_null_gives_a_setting_back_to_the_environment(
    settings: Settings,
) -> None:
    env = settings.model_copy(update={"frequency_cap": "2/1d", "sender_name": "Env Shop"})

    _set(
        env,
        sender_email="Hello@Shop.com",
        sender_name="  Lamp Shop ",
        frequency_cap="",  # no cap, although the environment sets one
        inactivity_threshold="45m",
        default_quiet_hours=NIGHT,
        require_marketing_consent=True,
        storefront_origins=["https://Shop.example.com/"],
        attribution_click_days=3,
        attribution_delivery_days=0,
        retention_abandoned_carts=60,
        retention_events=7,
        retention_messages=365,
        currency_rates={"rates": {"EUR": "1.08"}},
    )
    set_here = _effective(env)
    _set(env, sender_name=None, frequency_cap=None)  # the others stay
    partly_back = _effective(env)

    assert set_here.settings.sender_email == "Hello@shop.com"  # normalised as the env's is
    assert set_here.settings.sender_name == "Lamp Shop"
    assert set_here.settings.email_cap is None
    assert set_here.settings.inactivity_threshold == timedelta(minutes=45)
    assert set_here.default_quiet_hours == QuietHours(start="21:00", end="08:00", timezone="shop")
    assert set_here.settings.require_marketing_consent is True
    assert set_here.settings.storefront_origins == ["https://shop.example.com"]  # normalised
    assert (
        set_here.settings.attribution_click_days,
        set_here.settings.attribution_delivery_days,
    ) == (3, 0)
    assert (
        set_here.settings.retention_abandoned_carts,
        set_here.settings.retention_events,
        set_here.settings.retention_messages,
    ) == (60, 7, 365)
    assert set_here.from_shop == set(shop_settings.SETTING_NAMES)
    assert partly_back.settings.sender_name == "Env Shop"
    assert partly_back.settings.email_cap == FrequencyCap(2, timedelta(days=1))
    assert partly_back.settings.inactivity_threshold == timedelta(minutes=45)
    assert partly_back.from_shop == {
        "sender_email",
        "inactivity_threshold",
        "default_quiet_hours",
        "require_marketing_consent",
        "storefront_origins",
        "attribution_click_days",
        "attribution_delivery_days",
        "retention_abandoned_carts",
        "retention_events",
        "retention_messages",
        "currency_rates",
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sender_email": "not an address"}, "sender_email"),
        ({"sender_name": "x" * 71}, "sender_name"),
        ({"sender_name": "Lamp\r\nBcc: x@y.com"}, "sender_name"),
        ({"frequency_cap": "2 per hour"}, "frequency_cap"),
        ({"frequency_cap": "0/1h"}, "frequency_cap"),
        ({"frequency_cap": "1/0s"}, "frequency_cap"),
        ({"inactivity_threshold": "0s"}, "inactivity_threshold"),
        ({"inactivity_threshold": "soon"}, "inactivity_threshold"),
        ({"default_quiet_hours": {"start": "21:00", "end": "21:00"}}, "default_quiet_hours"),
        ({"default_quiet_hours": {"start": "25:00", "end": "08:00"}}, "default_quiet_hours"),
        ({"default_quiet_hours": {**NIGHT, "timezone": "Mars/Base"}}, "default_quiet_hours"),
        ({"reply_to": "a@b.com"}, "reply_to"),
    ],
)
def test_values_are_refused_as_strictly_as_the_environment_refuses_them(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ShopSettingsChange(**changes)

    assert raised.value.errors()[0]["loc"][0] == field


def test_one_row_holds_the_shop_settings(url: str, settings: Settings) -> None:
    _set(settings, frequency_cap="1/12h")
    _set(settings, inactivity_threshold="1h")

    with session_scope(url) as session:
        rows = session.exec(select(models.ShopSettings)).all()

    assert [(r.id, r.frequency_cap, r.inactivity_threshold_seconds) for r in rows] == [
        (1, "1/12h", 3600)
    ]


def _idle_cart(url: str, cart_id: str, idle_for: timedelta) -> None:
    with session_scope(url) as session:
        session.add(models.Cart(id=cart_id, items=[], updated_at=NOW - idle_for))


def _abandoned(url: str, settings: Settings) -> dict[str, datetime | None]:
    with session_scope(url) as session:
        abandon_idle_carts(session, settings, NOW, 100)
    with session_scope(url) as session:
        carts = session.exec(select(models.Cart).where(models.Cart.status == "abandoned")).all()
        return {cart.id: cart.abandoned_at for cart in carts}


def test_abandonment_detection_uses_the_shop_inactivity_threshold(
    url: str, settings: Settings
) -> None:
    _idle_cart(url, "idle_40m", timedelta(minutes=40))
    _idle_cart(url, "idle_50m", timedelta(minutes=50))
    _set(settings, inactivity_threshold="45m")  # the environment's: 30 minutes

    abandoned = _abandoned(url, settings)

    assert abandoned == {"idle_50m": NOW - timedelta(minutes=50) + timedelta(minutes=45)}


def _send_email(settings: Settings) -> Any:
    [activity] = [a for a in build_activities(settings) if a.__name__ == "send_email"]
    return activity


def _request(step_id: str) -> ActionRequest:
    return ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id=step_id,
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_1",
        customer_id="cus_1",
        params={"template": "cart-reminder"},
    )


@pytest.mark.usefixtures("url")  # a migrated database
async def test_the_send_action_uses_the_shop_frequency_cap(settings: Settings) -> None:
    seed_carts(settings)
    send_email = _send_email(settings)  # the environment sets no cap
    env = ActivityEnvironment()

    first = await env.run(send_email, _request("email-1"))
    _set(settings, frequency_cap="1/1d")
    capped = await env.run(send_email, _request("email-2"))
    _set(settings, frequency_cap=None)
    uncapped = await env.run(send_email, _request("email-3"))

    assert first.status == "sent"
    assert capped.status == "deferred" and capped.model_extra["reason"] == "frequency cap"
    assert uncapped.status == "sent"


@pytest.mark.usefixtures("url")  # a migrated database
async def test_no_cap_in_the_shop_settings_lifts_the_environment_cap(settings: Settings) -> None:
    seed_carts(settings)
    send_email = _send_email(settings.model_copy(update={"frequency_cap": "1/1d"}))
    env = ActivityEnvironment()
    await env.run(send_email, _request("email-1"))

    _set(settings, frequency_cap="")
    second = await env.run(send_email, _request("email-2"))

    assert second.status == "sent"


@pytest.fixture
def brevo() -> Iterator[BrevoServer]:
    with running_brevo() as server:
        yield server


@pytest.mark.usefixtures("url")  # a migrated database
async def test_emails_go_out_from_the_shop_sender(settings: Settings, brevo: BrevoServer) -> None:
    seed_carts(settings)
    through_brevo = settings.model_copy(
        update={
            "email_transport": "brevo",
            "brevo_api_key": SecretStr(API_KEY),
            "brevo_base_url": brevo.base_url,
            "sender_email": "env@shop.com",
        }
    )
    send_email = _send_email(through_brevo)
    env = ActivityEnvironment()

    await env.run(send_email, _request("email-1"))
    _set(settings, sender_email="hello@lamps.com", sender_name="Lamps & Co")
    await env.run(send_email, _request("email-2"))

    senders = [email["sender"] for email in brevo.emails]
    assert senders == [
        {"email": "env@shop.com", "name": "our shop"},
        {"email": "hello@lamps.com", "name": "Lamps & Co"},
    ]


def _enrolled_quiet_hours(url: str, settings: Settings) -> dict[str, QuietHours | None]:
    with session_scope(url) as session:
        cart = session.get(models.Cart, "cart_1")
        assert cart is not None
        found = enrolments_for(session, settings, cart, "cart_abandoned", now=NOW)
        session.rollback()  # not enrolled: the next call asks again
        return {e.journey.automation_id: e.journey.definition.settings.quiet_hours for e in found}


def test_journeys_of_automations_without_quiet_hours_get_the_shop_default(
    url: str, settings: Settings
) -> None:
    seed_carts(settings)
    own = {"start": "22:00", "end": "07:00", "timezone": "customer"}
    without = install_automation(settings, name="Without")
    with_own = install_automation(settings, name="Own", automation_settings={"quiet_hours": own})
    before = _enrolled_quiet_hours(url, settings)

    _set(settings, default_quiet_hours=NIGHT)
    after = _enrolled_quiet_hours(url, settings)

    assert before[without] is None
    assert after[without] == QuietHours.model_validate(NIGHT)
    assert before[with_own] == after[with_own] == QuietHours.model_validate(own)
