"""The mark_cart_lost action: a recovered cart stays recovered."""

import pytest
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart


@pytest.fixture
def mark_cart_lost(settings: Settings) -> object:
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Cart(id="cart_1", status="abandoned"))
        session.add(Cart(id="cart_back", status="recovered"))
    [activity] = [a for a in build_activities(settings) if a.__name__ == "mark_cart_lost"]
    return activity


def _request(cart_id: str) -> ActionRequest:
    return ActionRequest(
        workflow_id=f"journey:aut_1:{cart_id}",
        step_id="lost",
        automation_id="aut_1",
        automation_version=1,
        cart_id=cart_id,
        params={},
    )


def _status(settings: Settings, cart_id: str) -> str:
    with session_scope(settings.resolved_database_url) as session:
        cart = session.get(Cart, cart_id)
        assert cart is not None
        return cart.status


async def test_an_abandoned_cart_is_marked_lost(settings: Settings, mark_cart_lost: object) -> None:
    env = ActivityEnvironment()

    first = await env.run(mark_cart_lost, _request("cart_1"))
    retry = await env.run(mark_cart_lost, _request("cart_1"))

    assert first.model_dump() == retry.model_dump() == {"status": "lost", "cart_id": "cart_1"}
    assert _status(settings, "cart_1") == "lost"


async def test_a_recovered_cart_stays_recovered(settings: Settings, mark_cart_lost: object) -> None:
    result = await ActivityEnvironment().run(mark_cart_lost, _request("cart_back"))

    assert result.model_dump() == {"status": "skipped", "reason": "recovered"}
    assert _status(settings, "cart_back") == "recovered"


async def test_an_unknown_cart_is_skipped(mark_cart_lost: object) -> None:
    result = await ActivityEnvironment().run(mark_cart_lost, _request("cart_unknown"))

    assert result.status == "skipped"
