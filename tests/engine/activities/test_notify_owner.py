"""The notify_owner action: one email per step to the configured owner, through the outbox."""

import pytest
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Message
from tests.engine.activities.support import seed_carts

OWNER = "owner@shop.example.com"


def _activity(settings: Settings) -> object:
    [activity] = [a for a in build_activities(settings) if a.__name__ == "notify_owner"]
    return activity


@pytest.fixture
def carts(settings: Settings) -> None:
    prepare(settings)
    seed_carts(settings, guest_items=[{"name": "Mug", "price": 9, "quantity": 1}])


def _request(cart_id: str = "cart_1", **params: str) -> ActionRequest:
    return ActionRequest(
        workflow_id=f"journey:aut_1:{cart_id}",
        step_id="tell-owner",
        automation_id="aut_1",
        automation_version=1,
        cart_id=cart_id,
        customer_id="cus_1",
        params=params,
    )


def _messages(settings: Settings) -> list[Message]:
    with session_scope(settings.resolved_database_url) as session:
        return list(session.exec(select(Message)).all())


@pytest.mark.usefixtures("carts")
async def test_the_owner_gets_one_email_per_step(settings: Settings) -> None:
    notify_owner = _activity(settings.model_copy(update={"owner_email": OWNER}))
    env = ActivityEnvironment()

    first = await env.run(notify_owner, _request())
    retry = await env.run(notify_owner, _request())

    [message] = _messages(settings)
    assert first.model_dump() == {"status": "sent", "message_id": message.id}
    assert retry.model_dump() == {**first.model_dump(), "repeated": True}
    assert (message.to_email, message.subject) == (OWNER, "A cart was abandoned: €99.00")
    assert message.idempotency_key == "journey:aut_1:cart_1:tell-owner"
    assert "cart_1" in message.html
    assert "https://cdn.example.com/lamp.jpg" in message.html
    assert "€99.00" in message.html
    assert "Lamp (Brass) × 2: €49.50" in message.text
    assert "holds 2 items" in message.text


@pytest.mark.usefixtures("carts")
async def test_a_guest_cart_is_reported_too(settings: Settings) -> None:
    notify_owner = _activity(settings.model_copy(update={"owner_email": OWNER}))

    result = await ActivityEnvironment().run(
        notify_owner, _request("cart_guest", subject="Cart {{ cart.id }} left")
    )

    [message] = _messages(settings)
    assert result.status == "sent"
    assert message.subject == "Cart cart_guest left"
    assert "Mug × 1: $9.00" in message.text


@pytest.mark.usefixtures("carts")
async def test_without_an_owner_address_the_step_is_skipped(settings: Settings) -> None:
    result = await ActivityEnvironment().run(_activity(settings), _request())

    assert result.model_dump() == {"status": "skipped", "reason": "no owner address configured"}
    assert _messages(settings) == []
