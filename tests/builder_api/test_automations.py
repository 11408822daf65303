"""Creating and listing automations; definitions are validated before they are published."""

from typing import Any

import pytest

from engine.service.auth import Role
from tests.builder_api.conftest import Api
from tests.support import automation


async def test_create_publishes_and_activates(api: Api) -> None:
    response = await api.http.post("/api/v1/automations", json=automation(wait="2h"))

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"].startswith("aut_")
    assert (created["status"], created["version"]) == ("active", 1)
    assert created["definition"]["steps"][0] == {"id": "wait-1", "type": "wait", "duration": "2h"}
    assert created["definition"]["name"] == "Quick reminder"


async def test_list_shows_the_inactive_preset_and_created_automations(api: Api) -> None:
    await api.http.post("/api/v1/automations", json=automation(name="Mine"))

    listed = (await api.http.get("/api/v1/automations")).json()

    by_name = {a["name"]: a for a in listed}
    preset = by_name["Abandoned cart — single reminder"]
    assert preset["status"] == "inactive", "recovery emails are off until activated"
    assert [s["type"] for s in preset["definition"]["steps"]] == ["wait", "action"]
    assert preset["definition"]["steps"][0]["duration"] == "2h"
    assert by_name["Mine"]["status"] == "active"


def _with_steps(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Broken", "definition": {"trigger": {"event": "cart_abandoned"},
                                             "steps": list(steps)}}  # fmt: skip


@pytest.mark.parametrize(
    ("steps", "field", "words"),
    [
        ([{"id": "w", "type": "nap", "duration": "1h"}], "steps.0", "'nap' is not a step type"),
        ([{"id": "w", "type": "wait", "duration": "soon"}], "steps.0.wait.duration", "90s"),
        ([{"id": "a", "type": "action", "action": "send_fax"}], "action", "unknown action"),
        (
            [{"id": "a", "type": "action", "action": "send_email", "params": {"colour": "red"}}],
            "params.colour",
            "not permitted",
        ),
        (
            [{"id": "a", "type": "action", "action": "send_email",
              "params": {"template": "no-such-template"}}],
            "params.template",
            "no template named 'no-such-template'",
        ),
        (
            [{"id": "w", "type": "wait_until", "time": "09:00", "timezone": "Mars/Base"}],
            "steps.0.wait_until.timezone",
            "is not a time zone",
        ),
        (
            [{"id": "c", "type": "condition", "if": {"field": "cart.total", "op": "gt"}}],
            "steps.0.condition",
            "needs a step in `then` or in `else`",
        ),
    ],
)  # fmt: skip
async def test_a_bad_definition_is_refused_with_the_field_named(
    api: Api, steps: list[dict[str, Any]], field: str, words: str
) -> None:
    response = await api.http.post("/api/v1/automations", json=_with_steps(*steps))

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "invalid_definition"
    step_id = steps[0]["id"]
    assert any(
        p["field"] == field and words in p["message"] and p["step_id"] == step_id
        for p in body["problems"]
    ), body
    assert words in body["message"] and f"step {step_id!r}" in body["message"]
    listed = (await api.http.get("/api/v1/automations")).json()
    assert "Broken" not in {a["name"] for a in listed}, "nothing half-written"


async def test_duplicate_step_ids_are_refused(api: Api) -> None:
    wait = {"id": "same", "type": "wait", "duration": "1h"}

    response = await api.http.post("/api/v1/automations", json=_with_steps(wait, wait))

    assert response.status_code == 422
    assert "'same' is used more than once" in response.json()["message"]


async def test_tokens_are_required_and_roles_are_checked(api: Api) -> None:
    anonymous = await api.http.get("/api/v1/automations", headers={"Authorization": ""})
    unknown = await api.http.get("/api/v1/automations", headers={"Authorization": "Bearer nope"})
    ingest_creates = await api.http.post(
        "/api/v1/automations", json=automation(), headers=api.token(Role.ingest)
    )
    marketer_creates = await api.http.post(
        "/api/v1/automations", json=automation(), headers=api.token(Role.marketer)
    )

    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")
    assert (unknown.status_code, unknown.json()["code"]) == (401, "invalid_token")
    assert (ingest_creates.status_code, ingest_creates.json()["code"]) == (403, "forbidden")
    assert marketer_creates.status_code == 201
