"""Event ingestion: the reference payloads enrol and stop journeys; bad input is named."""

import re
from typing import Any

import pytest
from sqlmodel import select

from engine.service.auth import Role
from engine.store.db import session_scope
from engine.store.models import Cart, Enrolment, Event
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, CART_RECOVERED, automation, cart_event, eventually


async def test_an_abandoned_cart_gets_exactly_one_reminder(api: Api) -> None:
    automation_id = await api.create_automation(automation(wait="1s"))

    response = await api.http.post("/api/v1/events", json=CART_ABANDONED)

    assert response.status_code == 202, response.text
    assert response.json()["duplicate"] is False
    done = await eventually(
        lambda: api.journeys("cart_abc123", automation_id),
        lambda js: js and js[0]["status"] == "completed",
    )
    assert [(j["outcome"], j["automation_version"]) for j in done] == [("completed", 1)]
    messages = await api.outbox("jane@example.com")
    assert len(messages) == 1
    email = messages[0]
    assert email["subject"] == "Forgot something, friend?"
    assert "https://cdn.example.com/headphones.jpg" in email["html"]
    assert "$280.77" in email["html"] and "$280.77" in email["text"]
    assert "Premium Headphones (Black) × 1: $199.99" in email["text"]
    assert email["headers"]["Idempotency-Key"] == f"{done[0]['id']}:email-1"
    # The cart link is our signed, tracked link; it leads to the shop's recovery URL.
    [link] = re.findall(r"http://[^\s\"<]+/r/[A-Za-z0-9_\-.]+", email["text"])
    assert f'href="{link}"' in email["html"]
    followed = await api.http.get(link.partition("/r/")[1] + link.partition("/r/")[2])
    assert followed.status_code in (302, 303)
    assert followed.headers["location"] == "https://store.example.com/cart/recover/abc123"
    unsubscribe = email["headers"]["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/u/" in unsubscribe
    assert email["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_recovery_during_the_wait_stops_the_journey_without_email(api: Api) -> None:
    automation_id = await api.create_automation(automation(wait="1h"))
    abandoned = cart_event(CART_ABANDONED, "cart_rec", "rec@example.com")
    recovered = cart_event(CART_RECOVERED, "cart_rec", "rec@example.com")

    await api.http.post("/api/v1/events", json=abandoned)
    await eventually(lambda: api.journeys("cart_rec", automation_id), lambda js: len(js) == 1)
    response = await api.http.post("/api/v1/events", json=recovered)

    assert response.status_code == 202, response.text
    done = await eventually(
        lambda: api.journeys("cart_rec", automation_id), lambda js: js[0]["status"] == "completed"
    )
    assert done[0]["outcome"] == "recovered"
    assert await api.outbox("rec@example.com") == []


@pytest.mark.parametrize("together", [True, False], ids=["one-batch", "two-requests"])
async def test_a_recovery_before_the_abandonment_enrols_nothing(api: Api, together: bool) -> None:
    automation_id = await api.create_automation(automation(wait="1s"))
    # The shop sent the recovery (16:45) after the abandonment (14:30); it arrived first.
    recovered = cart_event(CART_RECOVERED, "cart_early")
    abandoned = cart_event(CART_ABANDONED, "cart_early")

    if together:
        response = await api.http.post("/api/v1/events", json={"events": [recovered, abandoned]})
        assert response.status_code == 202
        assert [e["duplicate"] for e in response.json()["events"]] == [False, False]
    else:
        for event in (recovered, abandoned):
            assert (await api.http.post("/api/v1/events", json=event)).status_code == 202

    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(Cart, "cart_early")
        assert cart is not None
        assert (cart.status, cart.order_id) == ("recovered", "order_789")
        assert cart.abandoned_at is not None, "the abandonment is on record all the same"
        assert len(cart.items) == 2, "its contents too"
        assert session.exec(select(Enrolment)).all() == []
        stored = session.exec(select(Event).where(Event.type == "cart_abandoned")).one()
        assert stored.effects == []
    assert await api.journeys("cart_early", automation_id) == []


async def test_the_idempotency_key_names_an_event_sent_without_id(api: Api) -> None:
    event = cart_event(CART_ABANDONED, "cart_keyed", "keyed@example.com")
    headers = {"Idempotency-Key": "order-form-42"}

    first = await api.http.post("/api/v1/events", json=event, headers=headers)
    again = await api.http.post("/api/v1/events", json=event, headers=headers)
    other = await api.http.post("/api/v1/events", json=event)

    assert first.status_code == again.status_code == 202
    assert first.json() == {"id": "order-form-42", "duplicate": False}
    assert again.json() == {"id": "order-form-42", "duplicate": True}
    assert other.json()["id"] != "order-form-42", "without a key: a new event"


async def test_in_a_batch_the_key_names_each_event_by_its_place(api: Api) -> None:
    events = [cart_event(CART_ABANDONED, f"cart_k{n}", event="cart_updated") for n in range(3)]
    events[1]["id"] = "evt-own-id"  # an event's own id wins
    headers = {"Idempotency-Key": "sync-2024-01-15"}

    first = await api.http.post("/api/v1/events", json={"events": events}, headers=headers)
    again = await api.http.post("/api/v1/events", json={"events": events}, headers=headers)

    assert [e["id"] for e in first.json()["events"]] == [
        "sync-2024-01-15:0",
        "evt-own-id",
        "sync-2024-01-15:2",
    ]
    assert [e["id"] for e in again.json()["events"]] == [e["id"] for e in first.json()["events"]]
    assert [e["duplicate"] for e in again.json()["events"]] == [True, True, True]


async def test_an_id_repeated_inside_one_batch_is_applied_once(api: Api) -> None:
    event = cart_event(CART_ABANDONED, "cart_dup", id="evt-dup")

    response = await api.http.post("/api/v1/events", json={"events": [event, event]})

    assert [e["duplicate"] for e in response.json()["events"]] == [False, True]
    with session_scope(api.settings.resolved_database_url) as session:
        assert len(session.exec(select(Event)).all()) == 1


async def test_a_repeated_event_id_is_applied_once(api: Api) -> None:
    automation_id = await api.create_automation(automation(wait="1s"))
    event = cart_event(CART_ABANDONED, "cart_twice", "twice@example.com", id="evt-shop-1")

    first = await api.http.post("/api/v1/events", json=event)
    second = await api.http.post("/api/v1/events", json=event)

    assert (first.json(), second.json()) == (
        {"id": "evt-shop-1", "duplicate": False},
        {"id": "evt-shop-1", "duplicate": True},
    )
    await eventually(
        lambda: api.journeys("cart_twice", automation_id),
        lambda js: js and js[0]["status"] == "completed",
    )
    assert len(await api.outbox("twice@example.com")) == 1


async def test_inactive_automations_enrol_nobody(api: Api) -> None:
    # Only the preset exists, and presets start inactive.
    [preset] = (await api.http.get("/api/v1/automations")).json()

    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_quiet"))

    assert await api.journeys("cart_quiet", preset["id"]) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer_email": "not-an-address"}, "data.customer_email"),
        ({"total": -1}, "data.total"),
        ({"currency": "dollars"}, "data.currency"),
        ({"items": [{"id": "p", "name": "x", "price": 1, "quantity": 0}]}, "data.items.0.quantity"),
    ],
)
async def test_bad_event_data_is_refused_naming_the_field(
    api: Api, change: dict[str, Any], field: str
) -> None:
    event = cart_event(CART_ABANDONED, "cart_bad")
    event["data"].update(change)

    response = await api.http.post("/api/v1/events", json=event)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_event"
    assert body["problems"][0]["field"] == field
    assert body["message"].startswith(field)


async def test_a_batch_is_all_or_nothing(api: Api) -> None:
    good = cart_event(CART_ABANDONED, "cart_batch_ok", id="evt-batch-ok")
    bad = cart_event(CART_ABANDONED, "cart_batch_bad", email="broken")

    response = await api.http.post("/api/v1/events", json={"events": [good, bad]})
    again = await api.http.post("/api/v1/events", json=good)

    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == "events.1.data.customer_email"
    assert again.json()["duplicate"] is False, "the good half was not stored"


async def test_unknown_event_types_and_non_json_are_refused(api: Api) -> None:
    unknown = await api.http.post("/api/v1/events", json={**CART_ABANDONED, "event": "cart_eaten"})
    garbage = await api.http.post(
        "/api/v1/events", content=b"{nope", headers={"Content-Type": "application/json"}
    )

    assert unknown.status_code == 422
    assert "cart_abandoned" in unknown.json()["message"], "the allowed types are listed"
    assert (garbage.status_code, garbage.json()["code"]) == (400, "invalid_json")


async def test_only_ingest_and_admin_tokens_send_events(api: Api) -> None:
    event = cart_event(CART_ABANDONED, "cart_roles")

    as_ingest = await api.http.post("/api/v1/events", json=event, headers=api.token(Role.ingest))
    as_support = await api.http.post("/api/v1/events", json=event, headers=api.token(Role.support))

    assert as_ingest.status_code == 202
    assert as_support.status_code == 403
