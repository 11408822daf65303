"""Post-purchase journeys end to end: an order event starts a journey with the order as its
subject, which emails the order's customer; later events of the order reach it."""

from typing import Any

from sqlmodel import select

from engine.store.db import session_scope
from engine.store.models import Order
from tests.builder_api.conftest import Api
from tests.support import eventually

BUYER = "buyer@example.com"


def _order_event(kind: str, order_id: str, at: str, **data: Any) -> dict[str, Any]:
    return {
        "event": kind,
        "timestamp": at,
        "data": {"order_id": order_id, "customer_email": BUYER, "total": 99.5,
                 "currency": "EUR"} | data,
    }  # fmt: skip


def _post_purchase(trigger: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "name": f"After {trigger}",
        "active": True,
        "definition": {"trigger": {"event": trigger}, "exit_on": ["unsubscribed"],
                       "steps": steps},
    }  # fmt: skip


CONFIRMATION = {"id": "confirm", "type": "action", "action": "send_email",
                "params": {"template": "order-confirmation"}}  # fmt: skip


async def _journey(api: Api, workflow_id: str) -> dict[str, Any]:
    response = await api.http.get(f"/api/v1/journeys/{workflow_id}")
    journey: dict[str, Any] = response.json() if response.status_code == 200 else {}
    return journey


async def test_a_paid_order_gets_its_confirmation_from_its_own_journey(api: Api) -> None:
    automation_id = await api.create_automation(_post_purchase("order_paid", [CONFIRMATION]))
    workflow_id = f"journey:{automation_id}:order_pp1"

    response = await api.http.post(
        "/api/v1/events",
        json=_order_event("order_paid", "order_pp1", "2024-01-15T14:30:00Z",
                          items=[{"id": "prod_1", "quantity": 2}]),
    )  # fmt: skip

    assert response.status_code == 202, response.text
    done = await eventually(lambda: _journey(api, workflow_id), lambda j: j.get("outcome"))
    assert (done["status"], done["outcome"]) == ("completed", "completed")
    [email] = await api.outbox(BUYER)
    assert "order_pp1" in email["text"]


async def test_later_events_of_the_order_reach_its_journey(api: Api) -> None:
    steps = [
        {"id": "delivered?", "type": "wait_for_event", "event": "order_delivered",
         "timeout": "1h", "on_event": [CONFIRMATION], "on_timeout": []},
    ]  # fmt: skip
    automation_id = await api.create_automation(_post_purchase("order_paid", steps))
    workflow_id = f"journey:{automation_id}:order_pp2"
    paid = _order_event("order_paid", "order_pp2", "2024-01-15T14:30:00Z")
    await api.http.post("/api/v1/events", json=paid)
    await eventually(
        lambda: _journey(api, workflow_id), lambda j: j.get("waiting_for") == "order_delivered"
    )

    fulfilled = _order_event(
        "order_fulfilled",
        "order_pp2",
        "2024-01-16T09:00:00Z",
        lines=[{"item_id": "prod_1", "quantity": 1}],
        partial=True,
    )
    delivered = _order_event("order_delivered", "order_pp2", "2024-01-18T09:00:00Z")
    response = await api.http.post("/api/v1/events", json={"events": [fulfilled, delivered]})

    assert response.status_code == 202, response.text
    done = await eventually(lambda: _journey(api, workflow_id), lambda j: j.get("outcome"))
    assert done["outcome"] == "completed"
    assert [step["step_id"] for step in done["steps"]][:2] == ["delivered?", "confirm"]
    assert len(await api.outbox(BUYER)) == 1
    with session_scope(api.settings.resolved_database_url) as session:
        order = session.exec(select(Order)).one()
    assert order.status == "delivered"


async def test_a_cancelled_order_is_recorded_and_starts_nothing(api: Api) -> None:
    automation_id = await api.create_automation(_post_purchase("order_paid", [CONFIRMATION]))
    cancelled = _order_event("order_cancelled", "order_pp3", "2024-01-15T15:00:00Z")
    paid = _order_event("order_paid", "order_pp3", "2024-01-15T14:30:00Z")  # arrives late

    response = await api.http.post("/api/v1/events", json={"events": [cancelled, paid]})

    assert response.status_code == 202, response.text
    with session_scope(api.settings.resolved_database_url) as session:
        assert session.exec(select(Order)).one().status == "cancelled"
    journey = await api.http.get(f"/api/v1/journeys/journey:{automation_id}:order_pp3")
    assert journey.status_code == 404


async def test_the_purchase_that_started_a_journey_does_not_stop_it(api: Api) -> None:
    body = _post_purchase("order_paid", [CONFIRMATION])
    del body["definition"]["exit_on"]  # the default exits include order_placed
    automation_id = await api.create_automation(body)
    workflow_id = f"journey:{automation_id}:order_pp9"
    placed = _order_event("order_placed", "order_pp9", "2024-01-15T14:00:00Z", cart_id="cart_pp9")
    paid = _order_event("order_paid", "order_pp9", "2024-01-15T14:30:00Z", cart_id="cart_pp9")

    for event in (placed, paid):
        assert (await api.http.post("/api/v1/events", json=event)).status_code == 202

    done = await eventually(lambda: _journey(api, workflow_id), lambda j: j.get("outcome"))
    assert done["outcome"] == "completed", "its own cart's order is no reason to stop"
    assert len(await api.outbox(BUYER)) == 1
