"""send_email in a post-purchase journey: the order is the subject, there may be no cart."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Customer, Message, Order


async def test_an_order_without_a_cart_gets_its_confirmation(settings: Settings) -> None:
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(id="cus_o", email="buyer@example.com", first_name="Ada"))
        session.flush()
        session.add(
            Order(
                id="order_789",
                customer_id="cus_o",
                total=Decimal("280.77"),
                currency="EUR",
                status="paid",
                placed_at=datetime(2024, 1, 15, 16, 45, tzinfo=UTC),
            )
        )
    [send_email] = [a for a in build_activities(settings) if a.__name__ == "send_email"]
    request = ActionRequest(
        workflow_id="journey:aut_pp:order_789",
        step_id="confirm",
        automation_id="aut_pp",
        automation_version=1,
        customer_id="cus_o",
        order_id="order_789",
        params={"template": "order-confirmation"},
    )

    result = await ActivityEnvironment().run(send_email, request)

    assert result.status == "sent"
    with session_scope(settings.resolved_database_url) as session:
        [message] = session.exec(select(Message)).all()
    assert message.to_email == "buyer@example.com"
    assert "order_789" in message.text and "280.77" in message.text
    assert "/r/" not in message.html, "no cart to go back to"
