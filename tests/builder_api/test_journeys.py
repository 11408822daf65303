"""Journey detail and support's controls through the API, on a real Temporal dev server."""

from typing import Any

from engine.service.auth import Role
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually


async def _running_journey(api: Api, cart_id: str) -> str:
    created = await api.http.post("/api/v1/automations", json=automation(wait="1h"))
    params = {"cart_id": cart_id, "automation_id": created.json()["id"]}
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, cart_id))

    async def listed() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await api.http.get("/api/v1/journeys", params=params)).json()
        return found

    [journey] = await eventually(listed, lambda found: len(found) == 1)
    journey_id: str = journey["id"]
    return journey_id


async def test_a_running_journey_shows_its_step_and_next_wake_up(api: Api) -> None:
    journey_id = await _running_journey(api, "cart_detail")

    async def shown() -> dict[str, Any]:
        found: dict[str, Any] = (await api.http.get(f"/api/v1/journeys/{journey_id}")).json()
        return found

    # Listed as soon as it started; its first step shows once it has run its first task.
    detail = await eventually(shown, lambda d: d["current_step"] is not None)

    assert (detail["status"], detail["current_step"], detail["paused"]) == (
        "running",
        "wait-1",
        False,
    )
    assert detail["next_wake_up"] > detail["started_at"]
    assert detail["steps"] == []


async def test_support_pauses_resumes_and_cancels_a_journey(api: Api) -> None:
    journey_id = await _running_journey(api, "cart_controls")
    support = api.token(Role.support)
    url = f"/api/v1/journeys/{journey_id}"

    paused = await api.http.post(f"{url}/pause", headers=support)
    shown_paused = (await api.http.get(url, headers=support)).json()
    resumed = await api.http.post(f"{url}/resume", headers=support)
    cancelled = await api.http.post(
        f"{url}/cancel", json={"reason": "asked by phone"}, headers=support
    )
    ended = (await api.http.get(url, headers=support)).json()
    again = await api.http.post(f"{url}/cancel", headers=support)

    assert paused.json() == {"status": "paused", "changed": True, "outcome": None}
    assert shown_paused["paused"] is True
    assert resumed.json()["status"] == "running"
    assert cancelled.json() == {"status": "finished", "changed": True, "outcome": "cancelled"}
    assert (ended["status"], ended["outcome"]) == ("completed", "cancelled")
    assert ended["steps"][-1]["detail"] == {"outcome": "cancelled", "reason": "asked by phone"}
    assert (again.status_code, again.json()["code"]) == (409, "conflict")


async def test_marketers_cannot_control_journeys(api: Api) -> None:
    journey_id = await _running_journey(api, "cart_roles_control")

    response = await api.http.post(
        f"/api/v1/journeys/{journey_id}/pause", headers=api.token(Role.marketer)
    )

    assert response.status_code == 403


async def test_unknown_journeys_are_404(api: Api) -> None:
    missing = await api.http.get("/api/v1/journeys/journey:aut_nope:cart_nope")
    not_a_journey = await api.http.post("/api/v1/journeys/boomerang-abandonment/pause")

    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert not_a_journey.status_code == 404
