"""The three-email sequence with the real actions: a real database, real codes, real emails.

The time-skipping server crosses the waits; the worker runs the actions that production
runs, so what lands in the outbox is what a customer would receive.
"""

import re
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import JourneyInput
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, DiscountCode, Message
from engine.workflows.journey import JourneyWorkflow
from tests.engine.workflows.test_journey_sequence import THREE_REMINDERS

CODE = re.compile(r"SAVE(10|15)-[A-Z2-9]{6}")


def _seed(settings: Settings) -> None:
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(id="cus_jane", email="jane@example.com", first_name="Jane"))
        session.flush()
        session.add(
            Cart(
                id="cart_abc123",
                customer_id="cus_jane",
                status="abandoned",
                items=[{"id": "prod_123", "name": "Premium Headphones", "price": 199.99,
                        "quantity": 1, "image_url": "https://cdn.example.com/headphones.jpg"}],
                total=Decimal("199.99"),
                recovery_url="https://store.example.com/cart/recover/abc123",
            )
        )  # fmt: skip


async def test_each_email_carries_the_code_made_before_it_and_the_cart_ends_lost(
    time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    _seed(settings)
    workflow_id = f"journey:aut_seq:cart_abc123:{uuid.uuid4()}"
    async with build_worker(time_skipping_env.client, settings):
        began = await time_skipping_env.get_current_time()
        state = await time_skipping_env.client.execute_workflow(
            JourneyWorkflow.run,
            JourneyInput(
                automation_id="aut_seq",
                automation_version=1,
                definition=THREE_REMINDERS,
                subject_id="cart_abc123",
                cart_id="cart_abc123",
                customer_id="cus_jane",
            ),
            id=workflow_id,
            task_queue=settings.task_queue,
        )

    with session_scope(settings.resolved_database_url) as session:
        emails = {m.step_id: m for m in session.exec(select(Message)).all()}
        codes = {
            c.idempotency_key.rpartition(":")[2]: c for c in session.exec(select(DiscountCode))
        }
        cart_status = session.get(Cart, "cart_abc123").status  # type: ignore[union-attr]

    assert sorted(emails) == ["email-1", "email-2", "email-3"]
    assert {m.to_email for m in emails.values()} == {"jane@example.com"}
    assert CODE.search(emails["email-1"].html) is None, "the first reminder offers no discount"
    for step, code_step, percent in (("email-2", "code-10", 10), ("email-3", "code-15", 15)):
        code = codes[code_step]
        assert code.percent == percent and code.usage_limit == 1
        assert code.code in emails[step].html and code.code in emails[step].text
        assert f"{percent}% off" in emails[step].text
    made = {r.step_id: r.at for r in state.history}
    assert codes["code-15"].expires_at - made["code-15"] < timedelta(hours=24, minutes=1)
    assert codes["code-15"].expires_at - made["code-15"] > timedelta(hours=23, minutes=59)
    hours = {step: round((made[step] - began) / timedelta(hours=1)) for step in emails}
    assert hours == {"email-1": 1, "email-2": 25, "email-3": 73}
    assert (state.outcome, cart_status) == ("lost", "lost")
