"""The tag_customer action: a tag is added once to the cart's customer."""

import pytest
from pydantic import ValidationError
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.activities.tag_customer import TagCustomer
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart, Customer


@pytest.fixture
def tag_customer(settings: Settings) -> object:
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(id="cus_1", email="jane@example.com"))
        session.flush()
        session.add(Cart(id="cart_1", customer_id="cus_1"))
        session.add(Cart(id="cart_guest"))
    [activity] = [a for a in build_activities(settings) if a.__name__ == "tag_customer"]
    return activity


def _request(tag: str, cart_id: str = "cart_1", step_id: str = "tag-1") -> ActionRequest:
    return ActionRequest(
        workflow_id=f"journey:aut_1:{cart_id}",
        step_id=step_id,
        automation_id="aut_1",
        automation_version=1,
        cart_id=cart_id,
        customer_id="cus_1",
        params={"tag": tag},
    )


def _tags(settings: Settings) -> list[str] | None:
    with session_scope(settings.resolved_database_url) as session:
        customer = session.get(Customer, "cus_1")
        assert customer is not None
        return customer.tags


async def test_a_tag_is_added_once(settings: Settings, tag_customer: object) -> None:
    env = ActivityEnvironment()

    first = await env.run(tag_customer, _request("abandoner"))
    retry = await env.run(tag_customer, _request("abandoner"))
    other = await env.run(tag_customer, _request("vip-lead", step_id="tag-2"))

    assert _tags(settings) == ["abandoner", "vip-lead"]
    assert first.model_dump() == retry.model_dump()
    assert first.model_dump() == {"status": "tagged", "tag": "abandoner", "customer_id": "cus_1"}
    assert other.status == "tagged"


async def test_a_customer_from_before_tags_existed_gets_tagged(
    settings: Settings, tag_customer: object
) -> None:
    with session_scope(settings.resolved_database_url) as session:
        customer = session.get(Customer, "cus_1")
        assert customer is not None
        customer.tags = None

    await ActivityEnvironment().run(tag_customer, _request("abandoner"))

    assert _tags(settings) == ["abandoner"]


@pytest.mark.parametrize("cart_id", ["cart_guest", "cart_unknown"])
async def test_a_cart_without_a_known_customer_is_skipped(
    settings: Settings, tag_customer: object, cart_id: str
) -> None:
    result = await ActivityEnvironment().run(tag_customer, _request("abandoner", cart_id=cart_id))

    assert result.status == "skipped"
    assert _tags(settings) == []


@pytest.mark.parametrize("tag", ["", "VIP", "-lead", "with space", "a" * 41])
def test_tags_are_short_lowercase_words(tag: str) -> None:
    with pytest.raises(ValidationError):
        TagCustomer(tag=tag)
