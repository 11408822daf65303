"""The send_email action: renders the cart as it is now and stores each step's email once."""

import pytest
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.actions import load_actions
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Customer, Message
from tests.engine.activities.support import seed_carts


@pytest.fixture
def send_email(settings: Settings) -> object:
    prepare(settings)
    seed_carts(settings)
    [activity] = [a for a in build_activities(settings) if a.__name__ == "send_email"]
    return activity


def _request(cart_id: str = "cart_1", **params: str) -> ActionRequest:
    return ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id="email-1",
        automation_id="aut_1",
        automation_version=1,
        cart_id=cart_id,
        customer_id="cus_1",
        params={"template": "cart-reminder", "subject": "{{ customer.first_name }}, still there?",
                **params},
    )  # fmt: skip


def _messages(settings: Settings) -> list[Message]:
    with session_scope(settings.resolved_database_url) as session:
        return list(session.exec(select(Message)).all())


async def test_a_retried_step_stores_one_email(settings: Settings, send_email: object) -> None:
    env = ActivityEnvironment()

    first = await env.run(send_email, _request())
    retry = await env.run(send_email, _request())

    [message] = _messages(settings)
    assert first.status == retry.status == "sent"
    assert first.model_extra["message_id"] == retry.model_extra["message_id"] == message.id
    assert message.idempotency_key == "journey:aut_1:cart_1:email-1"
    assert (message.to_email, message.subject) == ("jane@example.com", "Jane, still there?")
    assert "https://cdn.example.com/lamp.jpg" in message.html
    assert "€99.00" in message.html
    assert "Lamp (Brass) × 2: €49.50" in message.text


async def test_template_text_is_escaped_in_html(settings: Settings, send_email: object) -> None:
    with session_scope(settings.resolved_database_url) as session:
        customer = session.get(Customer, "cus_1")
        assert customer is not None
        customer.first_name = "<script>alert(1)</script>"

    await ActivityEnvironment().run(send_email, _request())

    [message] = _messages(settings)
    assert "<script>alert(1)</script>" not in message.html
    assert "&lt;script&gt;" in message.html


async def test_a_missing_template_fails_permanently(settings: Settings, send_email: object) -> None:
    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(send_email, _request(template="no-such"))

    assert failure.value.non_retryable
    assert _messages(settings) == []


async def test_a_template_cannot_reach_python_internals(
    settings: Settings, send_email: object
) -> None:
    attack = "{{ cycler.__init__.__globals__.os.popen('id').read() }}"

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(send_email, _request(subject=attack))

    assert failure.value.non_retryable
    assert _messages(settings) == []


async def test_a_cart_without_a_known_email_is_skipped(
    settings: Settings, send_email: object
) -> None:
    result = await ActivityEnvironment().run(send_email, _request(cart_id="cart_guest"))

    assert result.status == "skipped"
    assert _messages(settings) == []


def test_send_email_is_in_the_registry_with_a_json_schema() -> None:
    registered = load_actions()["send_email"]

    schema = registered.json_schema()
    assert set(schema["properties"]) == {"template", "subject"}
    assert registered.label == "Send email"
