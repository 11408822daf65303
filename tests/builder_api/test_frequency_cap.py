"""The frequency cap across automations, through the real stack: a capped send is deferred,
visibly, and goes out once the cap allows it."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from engine.runtime.settings import Settings
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually

WINDOW = timedelta(seconds=6)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"frequency_cap": "1/6s"})


async def test_a_second_automation_waits_for_the_cap_then_sends(api: Api) -> None:
    first = (await api.http.post("/api/v1/automations", json=automation("1s", "First"))).json()
    second = (await api.http.post("/api/v1/automations", json=automation("2s", "Second"))).json()
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_cap", "cap@x.com"))

    async def outbox() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (
            await api.http.get("/api/v1/outbox", params={"to": "cap@x.com"})
        ).json()
        return found

    async def journey(automation_id: str) -> dict[str, Any]:
        """The journey once it has ended (its email is stored a moment before that)."""
        params = {"cart_id": "cart_cap", "automation_id": automation_id}
        [listed] = (await api.http.get("/api/v1/journeys", params=params)).json()

        async def detail() -> dict[str, Any]:
            found: dict[str, Any] = (await api.http.get(f"/api/v1/journeys/{listed['id']}")).json()
            return found

        return await eventually(detail, lambda found: found["status"] != "running", timeout=60)

    emails = await eventually(outbox, lambda found: len(found) == 2, timeout=60)
    # Idle, First's shorter wait makes it send first; a loaded host may delay First's send
    # past Second's, and the cap then holds First instead. Whichever sent first, the other
    # was deferred by the cap and sent a whole window later.
    sent = {e["automation_id"]: datetime.fromisoformat(e["created_at"]) for e in emails}
    earlier, later = sorted((first["id"], second["id"]), key=sent.__getitem__)
    unhindered, deferred = await journey(earlier), await journey(later)

    assert sent[later] - sent[earlier] >= WINDOW
    assert [s for s in unhindered["steps"] if s["type"] == "deferred"] == []
    deferrals = [s for s in deferred["steps"] if s["type"] == "deferred"]
    assert [d["detail"]["why"] for d in deferrals] == ["frequency cap"]
    assert (unhindered["outcome"], deferred["outcome"]) == ("completed", "completed")
