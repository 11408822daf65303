"""End to end through `boomerang dev`: real Temporal, worker, API, SQLite; killed, restarted."""

import signal
from typing import Any

from tests.e2e.stack import DevStack, wait_for
from tests.support import CART_ABANDONED, CART_RECOVERED, automation, cart_event


def _completed(journeys: list[dict[str, Any]]) -> bool:
    return len(journeys) == 1 and journeys[0]["status"] == "completed"


# Big carts wait an hour: long enough, on any host, for a recovery to arrive during the wait.
BIG = 1000


def _for_carts(op: str, body: dict[str, Any]) -> dict[str, Any]:
    body["definition"]["trigger"]["filters"] = {"field": "cart.total", "op": op, "value": BIG}
    return body


def test_recovery_emails_survive_a_killed_stack_and_go_out_exactly_once(stack: DevStack) -> None:
    stack.start()
    stack.post("/api/v1/automations", _for_carts("lt", automation(wait="2s")))
    stack.post("/api/v1/automations", _for_carts("gte", automation(wait="1h", name="Big carts")))

    # The reference cart gets its one reminder after the wait.
    stack.post("/api/v1/events", CART_ABANDONED)
    [jane] = wait_for(lambda: stack.outbox("jane@example.com"), lambda found: len(found) == 1)
    assert "Premium Headphones" in jane["html"]
    assert wait_for(lambda: stack.journeys("cart_abc123"), _completed)[0]["outcome"] == "completed"

    # A cart recovered before its wait ends gets nothing.
    big_cart = cart_event(CART_ABANDONED, "cart_two", "two@example.com")
    big_cart["data"]["total"] = 5 * BIG
    stack.post("/api/v1/events", big_cart)
    stack.post("/api/v1/events", cart_event(CART_RECOVERED, "cart_two", "two@example.com"))
    [journey] = wait_for(lambda: stack.journeys("cart_two"), _completed)
    assert journey["outcome"] == "recovered"

    # SIGKILL the whole tree during a wait; the restarted stack sends the email once.
    stack.post("/api/v1/events", cart_event(CART_ABANDONED, "cart_three", "three@example.com"))
    stack.signal_tree(signal.SIGKILL)
    stack.wait_until_gone()
    assert stack.process is not None
    stack.start()
    wait_for(lambda: stack.journeys("cart_three"), _completed)
    assert len(stack.outbox("three@example.com")) == 1
    assert stack.outbox("two@example.com") == []
    assert len(stack.outbox("jane@example.com")) == 1, "the restart re-sent nothing"

    # SIGTERM stops every process of the tree.
    stack.signal_tree(signal.SIGTERM)
    assert stack.wait_until_gone() == 0
