"""Editing a live automation: running journeys keep the version they started with."""

from typing import Any

from engine.service import automations
from engine.store.db import session_scope
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually


def _subject(created: dict[str, Any], subject: str) -> dict[str, Any]:
    definition = created["definition"]
    definition["steps"][1]["params"]["subject"] = subject
    return definition


async def test_a_new_version_reaches_new_journeys_only(api: Api) -> None:
    body = automation(wait="3s")
    body["definition"]["steps"][1]["params"]["subject"] = "Version one"
    created = (await api.http.post("/api/v1/automations", json=body)).json()
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "c1", "early@x.com"))

    with session_scope(api.settings.resolved_database_url) as session:
        published = automations.publish_version(
            session, created["id"], _subject(created, "Version two")
        )
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "c2", "late@x.com"))

    async def outbox() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (await api.http.get("/api/v1/outbox")).json()
        return found

    emails = await eventually(outbox, lambda found: len(found) >= 2, timeout=60)
    listed = (await api.http.get("/api/v1/automations")).json()
    mine = {"automation_id": created["id"]}  # the dev server is shared by the whole session
    journeys = [
        (await api.http.get("/api/v1/journeys", params={"cart_id": cart, **mine})).json()
        for cart in ("c1", "c2")
    ]

    assert published.version == 2
    assert {(e["to"], e["subject"]) for e in emails} == {
        ("early@x.com", "Version one"),
        ("late@x.com", "Version two"),
    }
    [shown] = [a for a in listed if a["id"] == created["id"]]
    assert shown["version"] == 2
    versions = {j["cart_id"]: j["automation_version"] for [j] in journeys}
    assert versions == {"c1": 1, "c2": 2}
