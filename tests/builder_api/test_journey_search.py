"""Support finds journeys by cart id or by the customer's email, on a real Temporal dev server.

Temporal knows customers by id only: the email is looked up in the database first."""

from typing import Any

import pytest

from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually


async def _search(api: Api, **params: str) -> list[dict[str, Any]]:
    response = await api.http.get("/api/v1/journeys", params=params)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def _abandoned(api: Api, cart_id: str, email: str, name: str) -> str:
    """An automation named `name`, and the journey a cart of `email` starts in it."""
    automation_id = await api.create_automation(automation(wait="1h", name=name))
    response = await api.http.post(
        "/api/v1/events", json=cart_event(CART_ABANDONED, cart_id, email)
    )
    assert response.status_code == 202, response.text
    return automation_id


async def test_a_customers_journeys_are_found_by_email_however_it_is_written(api: Api) -> None:
    automation_id = await _abandoned(api, "cart_search_1", "ann.search@example.com", "Nudge Ann")
    await api.http.post(
        "/api/v1/events", json=cart_event(CART_ABANDONED, "cart_search_2", "ann.search@example.com")
    )

    found = await eventually(
        lambda: _search(
            api, customer_email="  Ann.Search@EXAMPLE.com ", automation_id=automation_id
        ),
        lambda journeys: len(journeys) == 2,
    )

    assert sorted(journey["cart_id"] for journey in found) == ["cart_search_1", "cart_search_2"]
    assert {journey["automation_name"] for journey in found} == {"Nudge Ann"}
    assert {journey["status"] for journey in found} == {"running"}


async def test_a_cart_id_search_still_lists_the_carts_journeys_with_their_automation_name(
    api: Api,
) -> None:
    automation_id = await _abandoned(api, "cart_search_3", "bo.search@example.com", "Nudge Bo")

    [journey] = await eventually(
        lambda: _search(api, cart_id="cart_search_3", automation_id=automation_id),
        lambda journeys: len(journeys) == 1,
    )
    detail = (await api.http.get(f"/api/v1/journeys/{journey['id']}")).json()

    assert journey["id"] == f"journey:{automation_id}:cart_search_3"
    assert (journey["automation_name"], detail["automation_name"]) == ("Nudge Bo", "Nudge Bo")


async def test_an_unknown_email_finds_nothing(api: Api) -> None:
    assert await _search(api, customer_email="nobody.ever@example.com") == []


async def test_an_order_journey_is_found_by_its_customers_email(api: Api) -> None:
    body = {
        "name": "Thanks for your order",
        "active": True,
        "definition": {
            "trigger": {"event": "order_paid"},
            "steps": [{"id": "wait-1", "type": "wait", "duration": "1h"}],
        },
    }
    automation_id = await api.create_automation(body)
    event = {
        "event": "order_paid",
        "timestamp": "2024-01-15T14:30:00Z",
        "data": {"order_id": "order_search_1", "customer_email": "cy.search@example.com",
                 "total": 42, "currency": "EUR"},
    }  # fmt: skip
    assert (await api.http.post("/api/v1/events", json=event)).status_code == 202

    [journey] = await eventually(
        lambda: _search(api, customer_email="cy.search@example.com", automation_id=automation_id),
        lambda journeys: len(journeys) == 1,
    )

    assert journey["id"] == f"journey:{automation_id}:order_search_1"
    assert journey["cart_id"] is None


@pytest.mark.parametrize(
    "params",
    [{}, {"cart_id": "cart_x", "customer_email": "x@example.com"}],
    ids=["neither", "both"],
)
async def test_exactly_one_of_cart_id_and_customer_email_is_given(
    api: Api, params: dict[str, str]
) -> None:
    response = await api.http.get("/api/v1/journeys", params=params)

    body = response.json()
    assert (response.status_code, body["code"]) == (422, "invalid_request")
    assert "cart_id" in body["message"] and "customer_email" in body["message"]
    assert [problem["field"] for problem in body["problems"]] == ["cart_id", "customer_email"]
