"""Presets through the real API, database, Temporal dev server and worker.

Acceptance: each abandoned-cart preset, installed and activated, turns matching events into
the journeys and emails it promises. The tests publish the preset's own definition built in
test time (`preset.definition(seconds(1))`: every wait a second) over the installed one.
"""

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from engine.language.presets import PRESETS, Timing, seconds
from engine.service.auth import Role
from engine.store import models
from engine.store.db import session_scope
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, CART_RECOVERED, cart_event, eventually


async def _install(api: Api, key: str, timing: Timing | None = None) -> str:
    """Install the preset, publish it in test time (if asked and it has waits), activate it."""
    installed = await api.http.post(f"/api/v1/presets/{key}/install")
    assert installed.status_code == 201, installed.text
    automation_id: str = installed.json()["id"]
    if timing is not None and PRESETS[key].definition(timing) != PRESETS[key].definition():
        draft = {"definition": PRESETS[key].definition(timing)}
        saved = await api.http.put(f"/api/v1/automations/{automation_id}/draft", json=draft)
        assert saved.status_code == 200, saved.text
        published = await api.http.post(f"/api/v1/automations/{automation_id}/publish")
        assert published.status_code == 201, published.text
    activated = await api.http.post(f"/api/v1/automations/{automation_id}/activate")
    assert activated.status_code == 200, activated.text
    return automation_id


async def _abandon(api: Api, cart_id: str, email: str, total: float = 280.77) -> None:
    event = cart_event(CART_ABANDONED, cart_id, email)
    event["data"]["total"] = total
    accepted = await api.http.post("/api/v1/events", json=event)
    assert accepted.status_code == 202, accepted.text


async def _finished(api: Api, cart_id: str, automation_id: str) -> dict[str, Any]:
    """The cart's journey once it ended, with the steps it went through."""
    [journey] = await eventually(
        lambda: api.journeys(cart_id, automation_id),
        lambda found: len(found) == 1 and found[0]["status"] != "running",
        timeout=60,
    )
    detail: dict[str, Any] = (await api.http.get(f"/api/v1/journeys/{journey['id']}")).json()
    return detail


def _done(journey: dict[str, Any]) -> list[str]:
    """The step ids the journey went through (each once, in order; not its end)."""
    return [s for s in dict.fromkeys(step["step_id"] for step in journey["steps"]) if s != "end"]


# -- listing and installing ---------------------------------------------------------------


async def test_the_presets_are_listed_with_what_they_do(api: Api) -> None:
    response = await api.http.get("/api/v1/presets", headers=api.token(Role.marketer))

    assert response.status_code == 200, response.text
    listed = {preset["key"]: preset for preset in response.json()}
    assert list(listed) == [
        "single-reminder", "three-step", "segment-timing", "order-confirmation",
        "shipping-update", "review-request", "post-purchase-upsell",
    ]  # fmt: skip
    three = listed["three-step"]
    assert three["category"] == "abandoned_cart" and three["trigger"] == "cart_abandoned"
    assert three["templates"] == ["cart-reminder", "cart-discount", "cart-last-chance"]
    assert "15 %" in three["description"] and three["what_it_does"]
    assert listed["review-request"]["trigger"] == "order_delivered"
    assert len(listed["single-reminder"]["installed"]) == 1, "installed on first start"


async def test_installing_makes_an_inactive_automation_each_time(api: Api) -> None:
    first = await api.http.post("/api/v1/presets/three-step/install")
    second = await api.http.post(
        "/api/v1/presets/three-step/install", json={"name": "Three reminders (EU shop)"}
    )
    listed = (await api.http.get("/api/v1/presets")).json()

    assert first.status_code == second.status_code == 201
    created = first.json()
    assert (created["status"], created["version"], created["preset"]) == (
        "inactive", 1, "three-step"
    )  # fmt: skip
    assert created["name"] == "Abandoned cart — three-step sequence"
    assert created["definition"]["steps"][0] == {"id": "wait-1", "type": "wait", "duration": "1h"}
    assert second.json()["name"] == "Three reminders (EU shop)"
    [three] = [p for p in listed if p["key"] == "three-step"]
    assert three["installed"] == [created["id"], second.json()["id"]]


async def test_installing_needs_a_marketer_and_a_known_preset(api: Api) -> None:
    support = await api.http.post(
        "/api/v1/presets/three-step/install", headers=api.token(Role.support)
    )
    unknown = await api.http.post("/api/v1/presets/no-such-preset/install")
    marketer = await api.http.post(
        "/api/v1/presets/single-reminder/install", headers=api.token(Role.marketer)
    )

    assert (support.status_code, support.json()["code"]) == (403, "forbidden")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert marketer.status_code == 201


@pytest.mark.parametrize(
    "key", ["order-confirmation", "shipping-update", "review-request", "post-purchase-upsell"]
)
async def test_the_post_purchase_presets_install_and_activate(api: Api, key: str) -> None:
    automation_id = await _install(api, key, seconds(1))

    shown = (await api.http.get(f"/api/v1/automations/{automation_id}")).json()

    preset = PRESETS[key]
    trigger = preset.definition()["trigger"]["event"]
    waits = preset.definition(seconds(1)) != preset.definition()
    assert (shown["status"], shown["version"]) == ("active", 2 if waits else 1)
    assert shown["definition"]["trigger"]["event"] == trigger
    # Buying again ends no follow-up; a cancelled order or an unsubscribe does.
    assert shown["definition"]["exit_on"] == ["order_cancelled", "unsubscribed"]


# -- what each preset promises ------------------------------------------------------------


async def test_single_reminder_sends_one_reminder_after_the_wait(api: Api) -> None:
    automation_id = await _install(api, "single-reminder", seconds(1))

    await _abandon(api, "preset_a", "preset-a@example.com")
    journey = await _finished(api, "preset_a", automation_id)
    emails = await api.outbox("preset-a@example.com")

    assert (journey["outcome"], _done(journey)) == ("completed", ["wait-1", "email-1"])
    [email] = emails
    assert email["subject"] == "Hi, your cart is waiting"
    assert "Premium Headphones" in email["html"]


async def test_three_step_sends_three_emails_with_growing_codes_then_the_cart_is_lost(
    api: Api,
) -> None:
    automation_id = await _install(api, "three-step", seconds(1))

    await _abandon(api, "preset_b", "preset-b@example.com")
    journey = await _finished(api, "preset_b", automation_id)
    emails = list(reversed(await api.outbox("preset-b@example.com")))  # oldest first

    assert journey["outcome"] == "lost"
    assert _done(journey) == [
        "wait-1", "email-1", "wait-2", "code-10", "email-2", "wait-3", "code-15", "email-3",
        "mark-lost", "lost",
    ]  # fmt: skip
    assert [e["step_id"] for e in emails] == ["email-1", "email-2", "email-3"]
    assert "SAVE" not in emails[0]["html"], "the first email is a gentle reminder"
    assert emails[1]["subject"] == "10% off the items in your cart"
    assert emails[2]["subject"].startswith("Last chance: your 15% code ends")
    with session_scope(api.settings.resolved_database_url) as session:
        codes = session.exec(
            select(models.DiscountCode).where(models.DiscountCode.cart_id == "preset_b")
        ).all()
        cart = session.get(models.Cart, "preset_b")
    by_percent = {code.percent: code for code in codes}
    assert sorted(by_percent) == [10, 15]
    assert by_percent[10].code in emails[1]["html"] and by_percent[15].code in emails[2]["html"]
    last_chance = by_percent[15].expires_at - by_percent[15].created_at
    assert timedelta(hours=23, minutes=59) < last_chance <= timedelta(hours=24)
    assert cart is not None and cart.status == "lost"


async def test_three_step_stops_at_once_when_the_cart_is_recovered(api: Api) -> None:
    # The first wait a second, the later ones long enough to recover the cart in between.
    def timing(wait: timedelta) -> timedelta:
        return timedelta(seconds=1 if wait <= timedelta(hours=1) else 30)

    automation_id = await _install(api, "three-step", timing)
    await _abandon(api, "preset_b_won", "preset-b-won@example.com")
    await eventually(lambda: api.outbox("preset-b-won@example.com"), lambda found: len(found) == 1)

    recovered = cart_event(CART_RECOVERED, "preset_b_won", "preset-b-won@example.com")
    assert (await api.http.post("/api/v1/events", json=recovered)).status_code == 202
    journey = await _finished(api, "preset_b_won", automation_id)

    assert journey["outcome"] == "recovered"
    assert len(await api.outbox("preset-b-won@example.com")) == 1


async def _order(api: Api, email: str, total: float) -> None:
    """An earlier order of the customer: what makes them `repeat` (or `vip` above 1000)."""
    data = {"order_id": f"order-{email}", "customer_email": email, "total": total}
    event = {"event": "order_placed", "timestamp": "2024-01-01T10:00:00Z", "data": data}
    accepted = await api.http.post("/api/v1/events", json=event)
    assert accepted.status_code == 202, accepted.text


async def test_segment_timing_takes_each_customer_down_their_segments_branch(api: Api) -> None:
    automation_id = await _install(api, "segment-timing", seconds(1))
    await _order(api, "seg-vip@example.com", 1500)
    await _order(api, "seg-repeat@example.com", 40)
    await _order(api, "seg-repeat-small@example.com", 40)
    carts = {  # cart: (email, total, the steps its journey goes through, email template)
        "seg_vip": ("seg-vip@example.com", 20, ["wait-vip", "code-vip", "email-vip"], 15),
        "seg_new_big": ("seg-new@example.com", 80,
                        ["wait-new", "over-50?", "code-new", "email-new"], 10),
        "seg_new_small": ("seg-new-small@example.com", 30,
                          ["wait-new", "over-50?", "reminder-new"], None),
        "seg_repeat_big": ("seg-repeat@example.com", 150,
                           ["wait-repeat", "over-100?", "code-repeat", "email-repeat"], 10),
        "seg_repeat_small": ("seg-repeat-small@example.com", 80,
                             ["wait-repeat", "over-100?", "reminder-repeat"], None),
    }  # fmt: skip
    for cart_id, (email, total, _, _) in carts.items():
        await _abandon(api, cart_id, email, total)

    for cart_id, (email, _, steps, percent) in carts.items():
        journey = await _finished(api, cart_id, automation_id)
        [sent] = await api.outbox(email)
        segment_branch = ["vip?"] if cart_id == "seg_vip" else ["vip?", "new?"]
        assert (journey["outcome"], _done(journey)) == ("completed", segment_branch + steps), (
            cart_id
        )
        if percent is None:
            assert sent["subject"] == "Hi, your cart is waiting", cart_id
        else:
            assert sent["subject"] == f"{percent}% off the items in your cart", cart_id


# The post-purchase presets: the order event that starts each, and the subject of its email.
POST_PURCHASE = [
    ("order-confirmation", "order_paid", "Order order_pp is confirmed"),
    ("shipping-update", "order_fulfilled", "Order order_pp is on its way"),
    ("review-request", "order_delivered", "Hi, how do you like your order?"),
    ("post-purchase-upsell", "order_delivered", "10% off your next order"),
]


@pytest.mark.parametrize(
    ("key", "event", "subject"), POST_PURCHASE, ids=[p[0] for p in POST_PURCHASE]
)
async def test_each_post_purchase_preset_emails_the_orders_customer(
    api: Api, key: str, event: str, subject: str
) -> None:
    automation_id = await _install(api, key, seconds(1))
    accepted = await api.http.post(
        "/api/v1/events",
        json={"event": event, "timestamp": "2024-01-15T14:30:00Z",
              "data": {"order_id": "order_pp", "customer_email": "buyer@example.com",
                       "total": 120, "currency": "USD"}},
    )  # fmt: skip
    assert accepted.status_code == 202, accepted.text
    workflow_id = f"journey:{automation_id}:order_pp"

    async def journey() -> dict[str, Any]:
        found = await api.http.get(f"/api/v1/journeys/{workflow_id}")
        shown: dict[str, Any] = found.json() if found.status_code == 200 else {}
        return shown

    done = await eventually(journey, lambda j: j.get("status") == "completed", timeout=60)
    [email] = await api.outbox("buyer@example.com")

    assert done["outcome"] == "completed"
    assert email["subject"] == subject
    assert email["automation_id"] == automation_id
