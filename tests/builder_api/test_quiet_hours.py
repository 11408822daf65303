"""Quiet hours through the whole stack: the registry marks send_email, enrolment passes it on,
the journey defers the send to the window's end."""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually


async def test_an_email_due_in_quiet_hours_waits_for_their_end(api: Api) -> None:
    now = datetime.now(UTC)
    start, end = now - timedelta(minutes=5), now + timedelta(hours=3)
    quiet = {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "timezone": "UTC"}
    created = await api.http.post(
        "/api/v1/automations", json=automation(wait="1s", settings={"quiet_hours": quiet})
    )
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_q", "q@x.com"))
    params = {"cart_id": "cart_q", "automation_id": created.json()["id"]}

    async def detail() -> dict[str, Any]:
        listed = (await api.http.get("/api/v1/journeys", params=params)).json()
        if not listed:
            return {}
        found: dict[str, Any] = (await api.http.get(f"/api/v1/journeys/{listed[0]['id']}")).json()
        return found

    shown = await eventually(
        detail, lambda d: any(s["type"] == "deferred" for s in d.get("steps", []))
    )
    outbox = (await api.http.get("/api/v1/outbox", params={"to": "q@x.com"})).json()

    assert shown["current_step"] == "email-1"
    wake_up = datetime.fromisoformat(shown["next_wake_up"])
    assert wake_up == end.replace(second=0, microsecond=0)
    assert outbox == [], "nothing is sent in quiet hours"
