"""Helpers shared by tests: the reference payloads and waiting for an eventual state."""

import asyncio
import copy
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from engine.runtime.settings import Settings
    from engine.service.auth import Role

T = TypeVar("T")

# The two reference payloads of PRODUCT.md, exactly as integrators send them.
CART_ABANDONED: dict[str, Any] = {
    "event": "cart_abandoned",
    "timestamp": "2024-01-15T14:30:00Z",
    "data": {
        "cart_id": "cart_abc123",
        "customer_email": "jane@example.com",
        "items": [
            {"id": "prod_123", "name": "Premium Headphones", "price": 199.99, "quantity": 1,
             "image_url": "https://cdn.example.com/headphones.jpg", "variant": "Black"},
            {"id": "prod_456", "name": "Phone Case", "price": 29.99, "quantity": 2,
             "image_url": "https://cdn.example.com/case.jpg"},
        ],
        "subtotal": 259.97, "shipping": 0, "tax": 20.80, "total": 280.77, "currency": "USD",
        "recovery_url": "https://store.example.com/cart/recover/abc123",
        "abandoned_at": "2024-01-15T14:00:00Z",
    },
}  # fmt: skip
CART_RECOVERED: dict[str, Any] = {
    "event": "cart_recovered",
    "timestamp": "2024-01-15T16:45:00Z",
    "data": {
        "cart_id": "cart_abc123",
        "customer_email": "jane@example.com",
        "order_id": "order_789",
        "recovered_via": "email_1",
        "time_to_recover": "2h15m",
    },
}


def cart_event(template: dict[str, Any], cart_id: str, email: str | None = None,
               **envelope: Any) -> dict[str, Any]:  # fmt: skip
    """A copy of a reference payload for another cart (and customer)."""
    event = copy.deepcopy(template)
    event["data"]["cart_id"] = cart_id
    if email:
        event["data"]["customer_email"] = email
    event.update(envelope)
    return event


def automation(wait: str = "1s", name: str = "Quick reminder", **extra: Any) -> dict[str, Any]:
    """A `POST /api/v1/automations` body: wait, then a reminder; created active (the API's
    default is inactive), so events enrol carts at once."""
    return {
        "name": name,
        "active": True,
        "definition": {
            "trigger": {"event": "cart_abandoned"},
            "steps": [
                {"id": "wait-1", "type": "wait", "duration": wait},
                {"id": "email-1", "type": "action", "action": "send_email",
                 "params": {"template": "cart-reminder",
                            "subject": "Forgot something, {{ customer.first_name or 'friend' }}?"}},
            ],
            **extra,
        },
    }  # fmt: skip


async def eventually(probe: Callable[[], Awaitable[T]], until: Callable[[T], bool],
                        timeout: float = 60.0) -> T:  # fmt: skip
    """Poll `probe` until its answer satisfies `until`; fail with the last answer otherwise.

    The budget is far beyond what anything takes idle (a second or two), so a loaded host
    passes too; a state that comes in time returns at once."""
    deadline = time.monotonic() + timeout
    while True:
        answer = await probe()
        if until(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {timeout}s: {answer!r}")
        await asyncio.sleep(0.2)


def token_headers(settings: "Settings", role: "Role") -> dict[str, str]:
    """Headers carrying a token of this role (made once per database)."""
    from engine.service.auth import ensure_token
    from engine.store.db import session_scope

    raw = f"test-{role}-token"
    with session_scope(settings.resolved_database_url) as session:
        ensure_token(session, raw, name=f"test {role}", role=role)
    return {"Authorization": f"Bearer {raw}"}
