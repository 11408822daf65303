"""send_email renders the newest published version of its template from the database."""

from typing import Any

import pytest
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service import templates
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Message
from tests.engine.activities.support import seed_carts


def _send_email(settings: Settings) -> Any:
    [activity] = [a for a in build_activities(settings) if a.__name__ == "send_email"]
    return activity


@pytest.fixture
def carts(settings: Settings) -> None:
    prepare(settings)
    seed_carts(settings)


def _request(step_id: str, **params: str) -> ActionRequest:
    return ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id=step_id,
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_1",
        customer_id="cus_1",
        params={"template": "cart-reminder", **params},
    )


def _messages(settings: Settings) -> dict[str, Message]:
    with session_scope(settings.resolved_database_url) as session:
        return {m.step_id or "": m for m in session.exec(select(Message)).all()}


@pytest.mark.usefixtures("carts")
async def test_without_a_subject_the_template_s_own_is_used(settings: Settings) -> None:
    env = ActivityEnvironment()

    await env.run(_send_email(settings), _request("email-1"))
    await env.run(_send_email(settings), _request("email-2", subject="Psst, {{ cart.total }}"))

    sent = _messages(settings)
    assert sent["email-1"].subject == "Jane, your cart is waiting"
    assert sent["email-2"].subject == "Psst, €99.00"


@pytest.mark.usefixtures("carts")
async def test_a_newly_published_version_reaches_the_next_send(settings: Settings) -> None:
    with session_scope(settings.resolved_database_url) as session:
        seeded = templates.versions(session, templates.find(session, "cart-reminder"))[0]
        edited = templates.TemplateContent(
            "New: {{ customer.first_name }}", seeded.mjml.replace("Return to", "Back to"),
            seeded.text,
        )  # fmt: skip
        templates.save_draft(session, "cart-reminder", edited)
    await ActivityEnvironment().run(_send_email(settings), _request("email-1"))

    with session_scope(settings.resolved_database_url) as session:
        templates.publish(session, "cart-reminder")
    await ActivityEnvironment().run(_send_email(settings), _request("email-2"))

    sent = _messages(settings)
    assert "Return to your cart" in sent["email-1"].html, "a draft is never sent"
    assert (sent["email-2"].subject, "Back to your cart" in sent["email-2"].html) == (
        "New: Jane",
        True,
    )


@pytest.mark.usefixtures("carts")
async def test_prices_follow_the_shop_locale(settings: Settings) -> None:
    german = settings.model_copy(update={"shop_locale": "de"})

    await ActivityEnvironment().run(_send_email(german), _request("email-1"))

    [message] = _messages(settings).values()
    assert "99,00\u00a0€" in message.html
    assert "Lamp (Brass) × 2: 49,50\u00a0€" in message.text
