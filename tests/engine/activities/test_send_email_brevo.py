"""send_email through the Brevo transport, in the real worker on the time-skipping server.

The real brevo-python client talks to the loopback Brevo. A 5xx or a 429 fails the attempt,
Temporal retries it with the same idempotency key and exactly one email goes out; an address
Brevo refuses is recorded as failed and never retried, and the journey goes on.
"""

import uuid
from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from engine.activities import send_email as send_email_module
from engine.emails.transports.brevo import brevo_idempotency_key
from engine.language.contracts import JourneyInput
from engine.language.interpreter import JourneyState
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, Message
from engine.workflows.journey import JourneyWorkflow
from tests.brevo_server import API_KEY, BrevoServer, running_brevo
from tests.engine.activities.support import seed_carts
from tests.engine.workflows.support import definition_of

pytestmark = pytest.mark.skipif(
    not hasattr(send_email_module, "send_once"),
    reason="send_email does not deliver through engine.emails.transports.send_once yet",
)

ONE_EMAIL = definition_of(
    {"id": "email-1", "type": "action", "action": "send_email",
     "params": {"template": "cart-reminder"}},
)  # fmt: skip


@pytest.fixture
def brevo() -> Iterator[BrevoServer]:
    with running_brevo() as server:
        yield server


@pytest.fixture
def brevo_settings(settings: Settings, brevo: BrevoServer) -> Settings:
    prepare(settings)
    seed_carts(settings)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(id="cus_bad", email="jane@localhost", first_name="Jane"))
        session.flush()
        session.add(Cart(id="cart_bad", customer_id="cus_bad", items=[]))
    return settings.model_copy(
        update={
            "email_transport": "brevo",
            "brevo_api_key": SecretStr(API_KEY),
            "brevo_base_url": brevo.base_url,
            "sender_email": "shop@example.com",
        }
    )


async def _journey(
    env: WorkflowEnvironment, settings: Settings, cart_id: str, customer_id: str
) -> tuple[str, JourneyState]:
    workflow_id = f"journey:aut_brevo:{cart_id}:{uuid.uuid4()}"
    async with build_worker(env.client, settings):
        state = await env.client.execute_workflow(
            JourneyWorkflow.run,
            JourneyInput(
                automation_id="aut_brevo",
                automation_version=1,
                definition=ONE_EMAIL,
                subject_id=cart_id,
                cart_id=cart_id,
                customer_id=customer_id,
            ),
            id=workflow_id,
            task_queue=settings.task_queue,
        )
    return workflow_id, state


def _messages(settings: Settings) -> list[Message]:
    with session_scope(settings.resolved_database_url) as session:
        return list(session.exec(select(Message)).all())


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_a_retried_send_after_a_provider_error_sends_one_email(
    time_skipping_env: WorkflowEnvironment,
    brevo_settings: Settings,
    brevo: BrevoServer,
    status: int,
) -> None:
    brevo.fail_next(status, retry_after=60 if status == 429 else None)

    workflow_id, state = await _journey(time_skipping_env, brevo_settings, "cart_1", "cus_1")

    assert state.results["email-1"]["status"] == "sent"
    [message] = _messages(brevo_settings)
    [email] = brevo.emails
    assert (message.status, message.transport) == ("sent", "brevo")
    assert message.provider_message_id == email["messageId"]
    assert email["to"] == [{"email": "jane@example.com"}]
    key = brevo_idempotency_key(f"{workflow_id}:email-1")
    assert [r.body["headers"]["idempotencyKey"] for r in brevo.requests] == [key, key]
    assert email["headers"]["X-Mailin-custom"] == (
        f'{{"journey":"{workflow_id}","step":"email-1"}}'
    )


async def test_an_address_brevo_refuses_fails_the_step_once_and_the_journey_goes_on(
    time_skipping_env: WorkflowEnvironment, brevo_settings: Settings, brevo: BrevoServer
) -> None:
    _, state = await _journey(time_skipping_env, brevo_settings, "cart_bad", "cus_bad")

    result = state.results["email-1"]
    assert result["status"] == "failed"
    assert "400 invalid_parameter" in result["error"]
    assert "jane@localhost" not in result["error"], "no address in the journey's history"
    assert len(brevo.requests) == 1, "a permanent failure is not retried"
    [message] = _messages(brevo_settings)
    assert (message.status, message.error) == (
        "failed", "Brevo answered 400 invalid_parameter: email is not valid in to"
    )  # fmt: skip
    assert state.outcome is not None
