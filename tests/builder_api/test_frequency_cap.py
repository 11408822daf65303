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

    emails = await eventually(outbox, lambda found: len(found) == 2, timeout=60)
    params = {"cart_id": "cart_cap", "automation_id": second["id"]}
    [journey] = (await api.http.get("/api/v1/journeys", params=params)).json()
    detail = (await api.http.get(f"/api/v1/journeys/{journey['id']}")).json()

    sent = {e["automation_id"]: datetime.fromisoformat(e["created_at"]) for e in emails}
    assert sent[second["id"]] - sent[first["id"]] >= WINDOW
    deferrals = [s for s in detail["steps"] if s["type"] == "deferred"]
    assert [d["detail"]["why"] for d in deferrals] == ["frequency cap"]
    assert detail["outcome"] == "completed"
