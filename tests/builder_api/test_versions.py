"""Editing a live automation: running journeys keep the version they started with, until they
are moved; deactivating decides what happens to them."""

from typing import Any

from engine.service.auth import Role
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually


def _with_subject(body: dict[str, Any], subject: str) -> dict[str, Any]:
    definition: dict[str, Any] = body["definition"]
    definition["steps"][1]["params"]["subject"] = subject
    return definition


async def _publish(api: Api, automation_id: str, definition: dict[str, Any]) -> dict[str, Any]:
    url = f"/api/v1/automations/{automation_id}"
    saved = await api.http.put(f"{url}/draft", json={"definition": definition})
    assert saved.status_code == 200, saved.text
    published = await api.http.post(f"{url}/publish")
    assert published.status_code == 201, published.text
    body: dict[str, Any] = published.json()
    return body


async def _running(api: Api, automation_id: str, *carts: str) -> dict[str, dict[str, Any]]:
    """The carts' journeys once each runs and stands at a step."""
    found = {}
    for cart in carts:
        [journey] = await eventually(
            lambda cart=cart: api.journeys(cart, automation_id),
            lambda js: len(js) == 1 and js[0]["status"] == "running" and js[0]["current_step"],
        )
        found[cart] = journey
    return found


async def test_a_new_version_reaches_new_journeys_only(api: Api) -> None:
    body = automation(wait="3s")
    _with_subject(body, "Version one")
    automation_id = await api.create_automation(body)
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "c1", "early@x.com"))
    # Enrolled on version 1 before the publish (whether it still waits or has sent by now:
    # on a slow host its 3 s may be over before visibility shows it at its step).
    await eventually(lambda: api.journeys("c1", automation_id), lambda js: len(js) == 1)

    published = await _publish(api, automation_id, _with_subject(body, "Version two"))
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "c2", "late@x.com"))

    async def outbox() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await api.http.get("/api/v1/outbox")).json()
        return found

    emails = await eventually(outbox, lambda found: len(found) >= 2, timeout=60)
    listed = (await api.http.get("/api/v1/automations")).json()
    journeys = [await api.journeys(cart, automation_id) for cart in ("c1", "c2")]

    assert published["version"] == 2
    assert published["diff"]["summary"] == [
        "Step 'email-1' (action) changed: params.subject 'Version one' → 'Version two'"
    ]
    assert {(e["to"], e["subject"]) for e in emails} == {
        ("early@x.com", "Version one"),
        ("late@x.com", "Version two"),
    }
    [shown] = [a for a in listed if a["id"] == automation_id]
    assert shown["version"] == 2
    versions = {j["cart_id"]: j["automation_version"] for [j] in journeys}
    assert versions == {"c1": 1, "c2": 2}


def _split(then: list[dict[str, Any]], otherwise: list[dict[str, Any]]) -> dict[str, Any]:
    """Big carts wait on one step, small carts on another."""
    return {
        "name": "Moves",
        "active": True,
        "definition": {
            "trigger": {"event": "cart_abandoned"},
            "steps": [
                {"id": "big?", "type": "condition",
                 "if": {"field": "cart.total", "op": "gt", "value": 100},
                 "then": then, "else": otherwise},
                {"id": "email-1", "type": "action", "action": "send_email",
                 "params": {"template": "cart-reminder"}},
            ],
        },
    }  # fmt: skip


async def _abandon(api: Api, cart_id: str, total: float) -> None:
    event = cart_event(CART_ABANDONED, cart_id, f"{cart_id}@example.com")
    event["data"]["total"] = total
    assert (await api.http.post("/api/v1/events", json=event)).status_code == 202


async def test_moving_journeys_reports_the_moved_and_those_whose_step_is_gone(api: Api) -> None:
    wait_big = {"id": "wait-big", "type": "wait", "duration": "1h"}
    wait_small = {"id": "wait-small", "type": "wait", "duration": "1h"}
    automation_id = await api.create_automation(_split([wait_big], [wait_small]))
    await _abandon(api, "move_big", 280)
    await _abandon(api, "move_small", 30)
    before = await _running(api, automation_id, "move_big", "move_small")
    await _publish(api, automation_id, _split([wait_big], [])["definition"])
    await _abandon(api, "move_new", 280)  # starts on version 2
    await _running(api, automation_id, "move_new")

    support = await api.http.post(
        f"/api/v1/automations/{automation_id}/move-journeys", headers=api.token(Role.support)
    )
    moved = await api.http.post(f"/api/v1/automations/{automation_id}/move-journeys")
    # Listings come from Temporal's visibility store, which shows the move a moment later.
    await eventually(
        lambda: api.journeys("move_big", automation_id),
        lambda js: js[0]["automation_version"] == 2,
    )
    after = {cart: (await api.journeys(cart, automation_id))[0] for cart in before}
    detail = (await api.http.get(f"/api/v1/journeys/{after['move_big']['id']}")).json()

    assert support.status_code == 403
    assert moved.status_code == 200, moved.text
    assert moved.json() == {
        "version": 2,
        "moved": 1,
        "already": 1,
        "refused": [
            {
                "journey_id": before["move_small"]["id"],
                "reason": "its step 'wait-small' no longer exists in version 2",
            }
        ],
    }
    assert (after["move_big"]["automation_version"], after["move_big"]["current_step"]) == (
        2,
        "wait-big",
    )
    assert after["move_small"]["automation_version"] == 1
    assert detail["steps"][-1]["type"] == "moved"
    assert detail["steps"][-1]["detail"] == {"from_version": 1, "to_version": 2}


async def test_deactivating_pauses_its_journeys_and_activating_may_resume_them(api: Api) -> None:
    automation_id = await api.create_automation(automation(wait="1h", name="Paused"))
    for cart in ("pause_1", "pause_2"):
        await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, cart))
    running = await _running(api, automation_id, "pause_1", "pause_2")
    url = f"/api/v1/automations/{automation_id}"

    paused = await api.http.post(
        f"{url}/deactivate", json={"running": "pause"}, headers=api.token(Role.support)
    )
    shown = (await api.http.get(f"/api/v1/journeys/{running['pause_1']['id']}")).json()
    resumed = await api.http.post(f"{url}/activate", json={"resume_journeys": True})
    shown_after = (await api.http.get(f"/api/v1/journeys/{running['pause_1']['id']}")).json()

    assert paused.status_code == 200, paused.text
    assert paused.json()["automation"]["status"] == "inactive"
    assert paused.json()["journeys"] == {
        "command": "pause", "changed": 2, "unchanged": 0, "failed": []
    }  # fmt: skip
    assert shown["paused"] is True
    assert resumed.json()["automation"]["status"] == "active"
    assert resumed.json()["journeys"]["changed"] == 2
    assert shown_after["paused"] is False


async def test_deactivating_with_cancel_ends_its_journeys(api: Api) -> None:
    automation_id = await api.create_automation(automation(wait="1h", name="Cancelled"))
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cancel_1"))
    await _running(api, automation_id, "cancel_1")

    cancelled = await api.http.post(
        f"/api/v1/automations/{automation_id}/deactivate", json={"running": "cancel"}
    )
    [journey] = await eventually(
        lambda: api.journeys("cancel_1", automation_id),
        lambda js: js[0]["status"] != "running",
    )
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cancel_2"))

    assert cancelled.json()["journeys"] == {
        "command": "cancel", "changed": 1, "unchanged": 0, "failed": []
    }  # fmt: skip
    assert journey["outcome"] == "cancelled"
    assert await api.journeys("cancel_2", automation_id) == [], "nobody new enrols"
