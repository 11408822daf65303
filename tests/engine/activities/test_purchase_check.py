"""What the database knows stops a journey even when its signal never came: the purchase
check before every action, and the suppression list that send_email obeys."""

from typing import Any

from pydantic import TypeAdapter
from sqlmodel import select
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from engine.activities.purchase_check import PurchaseCheckActivity
from engine.activities.runner import activity_for, build_activities
from engine.language.actions import ActionContext, ActionParams, ActionResult, RegisteredAction
from engine.language.contracts import ActionRequest, PurchaseCheck
from engine.language.events import Event
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.service.ingest import ingest
from engine.store.db import session_scope
from engine.store.models import Cart, Message
from tests.support import CART_ABANDONED, CART_RECOVERED, cart_event

EVENTS: TypeAdapter[Event] = TypeAdapter(Event)
ORDER = {"event": "order_placed", "timestamp": "2024-01-15T15:00:00Z",
         "data": {"order_id": "o-1", "cart_id": "cart_ordered"}}  # fmt: skip


async def _ingest(settings: Settings, env: WorkflowEnvironment, *events: dict[str, Any]) -> None:
    with session_scope(settings.resolved_database_url) as session:
        await ingest(session, env.client, settings, [EVENTS.validate_python(e) for e in events])


def _customer_of(settings: Settings, cart_id: str) -> str:
    with session_scope(settings.resolved_database_url) as session:
        cart = session.get(Cart, cart_id)
        assert cart is not None and cart.customer_id is not None
        return cart.customer_id


async def _check(settings: Settings, cart_id: str) -> list[str]:
    check = PurchaseCheck(cart_id=cart_id, customer_id=_customer_of(settings, cart_id))
    found = await ActivityEnvironment().run(PurchaseCheckActivity(settings).check_purchase, check)
    return found.events


async def test_the_check_finds_recoveries_orders_and_unsubscribes(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    unsubscribe = {"event": "unsubscribed", "timestamp": "2024-01-15T15:00:00Z",
                   "data": {"customer_email": "gone@example.com"}}  # fmt: skip
    await _ingest(
        settings,
        dev_server_env,
        cart_event(CART_ABANDONED, "cart_quiet", "quiet@example.com"),
        cart_event(CART_ABANDONED, "cart_recovered", "back@example.com"),
        cart_event(CART_RECOVERED, "cart_recovered", "back@example.com"),
        cart_event(CART_ABANDONED, "cart_ordered", "buyer@example.com"),
        ORDER,
        cart_event(CART_ABANDONED, "cart_gone", "gone@example.com"),
        unsubscribe,
    )

    assert await _check(settings, "cart_quiet") == []
    assert await _check(settings, "cart_recovered") == ["cart_recovered"]
    # The order recovered its abandoned cart: both, the purchase first (its outcome wins).
    assert await _check(settings, "cart_ordered") == ["order_placed", "cart_recovered"]
    assert await _check(settings, "cart_gone") == ["unsubscribed"]


async def test_send_email_refuses_an_address_that_unsubscribed(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    unsubscribe = {"event": "unsubscribed", "timestamp": "2024-01-15T15:00:00Z",
                   "data": {"customer_email": "Gone@Example.com"}}  # fmt: skip
    await _ingest(
        settings, dev_server_env, cart_event(CART_ABANDONED, "cart_gone", "gone@example.com"),
        unsubscribe,
    )  # fmt: skip
    [send_email] = [a for a in build_activities(settings) if a.__name__ == "send_email"]
    request = ActionRequest(
        workflow_id="journey:aut_1:cart_gone",
        step_id="email-1",
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_gone",
        customer_id=_customer_of(settings, "cart_gone"),
        params={"template": "cart-reminder"},
    )

    result = await ActivityEnvironment().run(send_email, request)

    assert result.status == "suppressed"


async def test_an_action_checks_first_and_sends_nothing_after_a_purchase(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    await _ingest(
        settings,
        dev_server_env,
        cart_event(CART_ABANDONED, "cart_ordered", "buyer@example.com"),
        ORDER,
        cart_event(CART_ABANDONED, "cart_open", "open@example.com"),
    )
    [send_email] = [a for a in build_activities(settings) if a.__name__ == "send_email"]

    def request(cart_id: str, stop_if: list[str]) -> ActionRequest:
        return ActionRequest(
            workflow_id=f"journey:aut_1:{cart_id}",
            step_id="email-1",
            automation_id="aut_1",
            automation_version=1,
            cart_id=cart_id,
            customer_id=_customer_of(settings, cart_id),
            params={"template": "cart-reminder"},
            stop_if=stop_if,
        )

    exits = ["cart_recovered", "order_placed", "unsubscribed"]
    bought = await ActivityEnvironment().run(send_email, request("cart_ordered", exits))
    still_open = await ActivityEnvironment().run(send_email, request("cart_open", exits))
    # An automation that does not exit on orders sends regardless.
    not_an_exit = await ActivityEnvironment().run(send_email, request("cart_ordered", []))

    assert (bought.status, bought.model_extra) == (
        "stopped",
        {"events": ["order_placed", "cart_recovered"]},
    )
    assert still_open.status == "sent"
    assert not_an_exit.status == "sent"
    with session_scope(settings.resolved_database_url) as session:
        sent = session.exec(select(Message.cart_id)).all()
    assert sorted(sent) == ["cart_open", "cart_ordered"]


async def test_an_async_action_checks_first_too(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    await _ingest(
        settings, dev_server_env, cart_event(CART_ABANDONED, "cart_ordered", "b@example.com"), ORDER
    )
    ran: list[str] = []

    async def award(ctx: ActionContext, _params: ActionParams) -> ActionResult:
        ran.append(ctx.request.step_id)
        return ActionResult(status="awarded")

    registered = RegisteredAction(
        name="award", label="Award", category="Test", description="", params_model=ActionParams,
        function=award,
    )  # fmt: skip
    run = activity_for(registered, settings)
    request = ActionRequest(
        workflow_id="journey:aut_1:cart_ordered", step_id="award", automation_id="aut_1",
        automation_version=1, cart_id="cart_ordered", params={},
    )  # fmt: skip

    stopped = await ActivityEnvironment().run(
        run, request.model_copy(update={"stop_if": ["order_placed"]})
    )
    awarded = await ActivityEnvironment().run(run, request)

    assert (stopped.status, awarded.status) == ("stopped", "awarded")
    assert ran == ["award"]
