"""Cart events may carry the customer's time zone; a name that is no IANA zone is refused."""

import pytest
from sqlmodel import select

from engine.store import models
from engine.store.db import session_scope
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event


async def test_the_customers_time_zone_is_stored(api: Api) -> None:
    event = cart_event(CART_ABANDONED, "cart_tz", email="tz@example.com")
    event["data"]["customer_timezone"] = "Asia/Tokyo"

    response = await api.http.post("/api/v1/events", json=event)

    assert response.status_code == 202, response.text
    with session_scope(api.settings.resolved_database_url) as session:
        customer = session.exec(
            select(models.Customer).where(models.Customer.email == "tz@example.com")
        ).one()
    assert customer.timezone == "Asia/Tokyo"


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "customer", "x" * 65])
async def test_an_unknown_time_zone_is_refused_naming_the_field(api: Api, name: str) -> None:
    event = cart_event(CART_ABANDONED, "cart_tz_bad")
    event["data"]["customer_timezone"] = name

    response = await api.http.post("/api/v1/events", json=event)

    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["field"] == "data.customer_timezone"
