"""The stack's API as the browser tests use it beside the pages: tokens' clients, a shop's
events, journeys as the engine lists them."""

import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from tests.e2e.stack import DevStack
from tests.support import CART_ABANDONED, cart_event, eventually


def unique(prefix: str) -> str:
    """Names and ids no other test of the session (which shares one stack) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def api_client(stack: DevStack, token: str) -> httpx.AsyncClient:
    """The stack's API as the holder of `token` (a role's token from the `tokens` fixture)."""
    return httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{stack.port}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=60,  # the stack shares the host with the browser; a hung one still fails
    )


async def abandon_cart(stack: DevStack, ingest_token: str, cart_id: str, email: str) -> None:
    """Post a `cart_abandoned` event as a shop does. Its times are now: an automation waits
    from the abandonment, and the reference payload's date (2024) would end every wait at once."""
    now = datetime.now(UTC).isoformat()
    event = cart_event(CART_ABANDONED, cart_id, email, timestamp=now)
    event["data"]["abandoned_at"] = now
    async with api_client(stack, ingest_token) as ingest:
        answer = await ingest.post("/api/v1/events", json=event)
    assert answer.status_code == 202, answer.text


async def journey_of(
    api: httpx.AsyncClient, cart_id: str, automation_id: str, at_step: str | None = None
) -> dict[str, Any]:
    """The cart's journey in `automation_id`, once the engine lists it (at `at_step`, if given).
    Listings come from Temporal's visibility store, which lags the journey by a moment: the
    journey is listed first, its current step a little later."""

    async def listed() -> list[dict[str, Any]]:
        answer = await api.get(
            "/api/v1/journeys", params={"cart_id": cart_id, "automation_id": automation_id}
        )
        answer.raise_for_status()
        found: list[dict[str, Any]] = answer.json()
        return found

    journeys = await eventually(
        listed,
        lambda found: len(found) == 1 and at_step in (None, found[0]["current_step"]),
    )
    return journeys[0]


async def journey_detail(api: httpx.AsyncClient, journey_id: str) -> dict[str, Any]:
    answer = await api.get(f"/api/v1/journeys/{quote(journey_id, safe='')}")
    answer.raise_for_status()
    detail: dict[str, Any] = answer.json()
    return detail


async def stop_enrolling(stack: DevStack, marketer_token: str, automation_id: str) -> None:
    """Deactivate, cancelling its journeys: the session's other tests post carts of their own."""
    async with api_client(stack, marketer_token) as marketer:
        stopped = await marketer.post(
            f"/api/v1/automations/{automation_id}/deactivate", json={"running": "cancel"}
        )
        assert stopped.status_code == 200, stopped.text


async def automation_of(api: httpx.AsyncClient, automation_id: str) -> dict[str, Any]:
    """The automation as the API holds it: status, current version and its definition, draft."""
    answer = await api.get(f"/api/v1/automations/{automation_id}")
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


async def archive(stack: DevStack, marketer_token: str, automation_id: str) -> None:
    """Archive an inactive automation: its name is free again (a preset installed next keeps
    the preset's name, not `... (2)`) and the gallery no longer lists it as installed."""
    async with api_client(stack, marketer_token) as marketer:
        archived = await marketer.post(f"/api/v1/automations/{automation_id}/archive")
        assert archived.status_code == 200, archived.text
