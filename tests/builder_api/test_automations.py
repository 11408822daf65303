"""Automations through the API: create, list, read, draft, validate, publish, activate,
deactivate, duplicate, archive; definitions are validated before they are published."""

from typing import Any

import pytest

from engine.service.auth import Role
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, automation, cart_event, eventually


async def test_create_publishes_version_1_and_activates_when_asked(api: Api) -> None:
    response = await api.http.post("/api/v1/automations", json=automation(wait="2h"))

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["id"].startswith("aut_")
    assert (created["status"], created["version"], created["draft"]) == ("active", 1, None)
    assert created["definition"]["steps"][0] == {"id": "wait-1", "type": "wait", "duration": "2h"}
    assert created["definition"]["name"] == "Quick reminder"


async def test_a_new_automation_is_inactive_by_default_and_enrols_nobody(api: Api) -> None:
    body = automation(name="Not yet")
    del body["active"]

    created = (await api.http.post("/api/v1/automations", json=body)).json()
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_not_yet"))

    assert (created["status"], created["version"]) == ("inactive", 1)
    assert await api.journeys("cart_not_yet", created["id"]) == []


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


# -- lifecycle ----------------------------------------------------------------------------


def _steps(wait: str) -> dict[str, Any]:
    definition: dict[str, Any] = automation(wait=wait)["definition"]
    return definition


async def _inactive(api: Api, name: str = "Lifecycle") -> str:
    body = automation(wait="1h", name=name)
    body["active"] = False
    response = await api.http.post("/api/v1/automations", json=body)
    assert response.status_code == 201, response.text
    automation_id: str = response.json()["id"]
    return automation_id


async def test_a_draft_is_kept_as_it_is_and_published_only_when_valid(api: Api) -> None:
    automation_id = await _inactive(api)
    url = f"/api/v1/automations/{automation_id}"
    broken = {"trigger": {"event": "cart_abandoned"},
              "steps": [{"id": "wait-1", "type": "wait", "duration": "soon"},
                        {"id": "email-1", "type": "action", "action": "send_fax"}]}  # fmt: skip

    saved = await api.http.put(f"{url}/draft", json={"definition": broken})
    checked = await api.http.post(f"{url}/validate")
    refused = await api.http.post(f"{url}/publish")
    shown = (await api.http.get(url)).json()

    assert saved.status_code == 200 and saved.json()["draft"] == broken
    assert checked.json()["valid"] is False and checked.json()["diff"] is None
    assert [(p["step_id"], p["field"]) for p in checked.json()["problems"]] == [
        ("wait-1", "steps.0.wait.duration"), ("email-1", "action")
    ]  # fmt: skip
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_definition")
    assert refused.json()["problems"] == checked.json()["problems"], "every problem, at once"
    assert (shown["version"], shown["draft"]) == (1, broken)
    assert shown["definition"]["steps"][0]["duration"] == "1h", "the live version is untouched"


async def test_publishing_numbers_versions_and_shows_their_diffs(api: Api) -> None:
    automation_id = await _inactive(api)
    url = f"/api/v1/automations/{automation_id}"

    await api.http.put(f"{url}/draft", json={"definition": _steps("2h")})
    checked = (await api.http.post(f"{url}/validate")).json()
    published = await api.http.post(f"{url}/publish")
    again = await api.http.post(f"{url}/publish")
    history = (await api.http.get(f"{url}/versions")).json()
    second = (await api.http.get(f"{url}/versions/2")).json()
    first = (await api.http.get(f"{url}/versions/1")).json()
    missing = await api.http.get(f"{url}/versions/9")
    shown = (await api.http.get(url)).json()

    change = "Step 'wait-1' (wait) changed: duration '1h' → '2h'"
    assert (checked["valid"], checked["diff"]["summary"]) == (True, [change])
    assert published.status_code == 201, published.text
    body = published.json()
    assert (body["version"], body["current"], body["compared_to"]) == (2, True, 1)
    assert body["diff"]["changed"] == [{"step_id": "wait-1", "type": "wait", "fields": [
        {"field": "duration", "before": "1h", "after": "2h"}]}]  # fmt: skip
    assert (again.status_code, again.json()["code"]) == (409, "no_draft")
    assert [(v["version"], v["current"], v["changes"]) for v in history] == [
        (2, True, [change]),
        (1, False, ["Step 'wait-1' (wait) added in steps",
                    "Step 'email-1' (action) added in steps"]),
    ]  # fmt: skip
    assert second["definition"]["steps"][0]["duration"] == "2h"
    assert second["diff"]["summary"] == [change]
    assert (first["compared_to"], len(first["diff"]["added"])) == (None, 2)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert (shown["version"], shown["draft"]) == (2, None)


async def test_rollback_publishes_a_copy_of_an_old_version(api: Api) -> None:
    automation_id = await _inactive(api)
    url = f"/api/v1/automations/{automation_id}"
    await api.http.put(f"{url}/draft", json={"definition": _steps("2h")})
    await api.http.post(f"{url}/publish")

    rolled = await api.http.post(f"{url}/rollback", json={"version": 1})
    again = await api.http.post(f"{url}/rollback", json={"version": 1})
    unknown = await api.http.post(f"{url}/rollback", json={"version": 5})

    assert rolled.status_code == 201, rolled.text
    body = rolled.json()
    assert (body["version"], body["source_version"]) == (3, 1)
    assert body["definition"]["steps"][0]["duration"] == "1h"
    assert body["diff"]["summary"] == ["Step 'wait-1' (wait) changed: duration '2h' → '1h'"]
    assert (again.status_code, again.json()["code"]) == (409, "unchanged")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")


async def test_validate_checks_a_definition_it_is_given(api: Api) -> None:
    automation_id = await _inactive(api)
    definition = _steps("1h")
    definition["steps"][1]["params"]["template"] = "no-such-template"

    response = await api.http.post(
        f"/api/v1/automations/{automation_id}/validate", json={"definition": definition}
    )

    assert response.status_code == 200
    [problem] = response.json()["problems"]
    assert problem["step_id"] == "email-1" and "no template named" in problem["message"]


async def test_activate_deactivate_archive_and_duplicate(api: Api) -> None:
    automation_id = await _inactive(api, "Seasonal")
    url = f"/api/v1/automations/{automation_id}"

    activated = await api.http.post(url + "/activate")
    archive_active = await api.http.post(url + "/archive")
    no_choice = await api.http.post(url + "/deactivate", json={})
    wrong_choice = await api.http.post(url + "/deactivate", json={"running": "stop"})
    deactivated = await api.http.post(url + "/deactivate", json={"running": "finish"})
    archived = await api.http.post(url + "/archive")
    reactivate = await api.http.post(url + "/activate")
    edit = await api.http.put(url + "/draft", json={"definition": _steps("2h")})
    listed = (await api.http.get("/api/v1/automations")).json()
    everything = (await api.http.get("/api/v1/automations?include_archived=true")).json()
    copied = await api.http.post(url + "/duplicate")

    assert activated.json()["automation"]["status"] == "active"
    assert activated.json()["journeys"] is None
    assert (archive_active.status_code, archive_active.json()["code"]) == (409, "active")
    assert (no_choice.status_code, no_choice.json()["problems"][0]["field"]) == (422, "running")
    assert wrong_choice.status_code == 422
    assert deactivated.json() == {"automation": deactivated.json()["automation"], "journeys": None}
    assert deactivated.json()["automation"]["status"] == "inactive"
    assert archived.json()["status"] == "archived"
    assert (reactivate.status_code, reactivate.json()["code"]) == (409, "archived")
    assert (edit.status_code, edit.json()["code"]) == (409, "archived")
    assert automation_id not in {a["id"] for a in listed}
    assert automation_id in {a["id"] for a in everything}
    assert copied.status_code == 201, copied.text
    copy = copied.json()
    assert (copy["name"], copy["status"], copy["version"]) == ("Seasonal (copy)", "inactive", 1)
    assert copy["id"] != automation_id and copy["definition"]["steps"] == _steps("1h")["steps"]


async def test_the_list_shows_running_journeys_and_the_last_30_days(api: Api) -> None:
    automation_id = await api.create_automation(automation(wait="1h", name="Counted"))
    await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_counted"))

    async def shown() -> dict[str, Any]:
        found: dict[str, Any] = (await api.http.get(f"/api/v1/automations/{automation_id}")).json()
        return found

    counted = await eventually(shown, lambda found: found["running_journeys"] == 1)
    [listed] = [a for a in (await api.http.get("/api/v1/automations")).json()
                if a["id"] == automation_id]  # fmt: skip

    assert (counted["emails_sent_30d"], counted["recoveries_30d"]) == (0, 0)
    assert listed["running_journeys"] == 1 and listed["version"] == 1


async def test_unknown_automations_are_404_on_every_route(api: Api) -> None:
    url = "/api/v1/automations/aut_nope"
    answers = [
        await api.http.get(url),
        await api.http.get(url + "/versions"),
        await api.http.get(url + "/versions/1"),
        await api.http.put(url + "/draft", json={"definition": {}}),
        await api.http.delete(url + "/draft"),
        await api.http.post(url + "/validate"),
        await api.http.post(url + "/publish"),
        await api.http.post(url + "/rollback", json={"version": 1}),
        await api.http.post(url + "/activate"),
        await api.http.post(url + "/deactivate", json={"running": "finish"}),
        await api.http.post(url + "/duplicate"),
        await api.http.post(url + "/archive"),
        await api.http.post(url + "/move-journeys"),
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(404, "not_found")] * 13


async def test_who_may_do_what_with_automations(api: Api) -> None:
    automation_id = await _inactive(api, "Roles")
    url = f"/api/v1/automations/{automation_id}"
    support, developer = api.token(Role.support), api.token(Role.developer)
    marketer = api.token(Role.marketer)

    async def status(method: str, path: str, headers: dict[str, str], **body: Any) -> int:
        response = await api.http.request(method, url + path, headers=headers, **body)
        return response.status_code

    finish = {"json": {"running": "finish"}}
    draft = {"json": {"definition": _steps("2h")}}
    assert [
        await status("GET", "", support),
        await status("GET", "/versions", support),
        await status("POST", "/deactivate", support, **finish),
        await status("POST", "/activate", support),
        await status("PUT", "/draft", support, **draft),
        await status("POST", "/publish", support),
        await status("POST", "/archive", support),
        await status("POST", "/duplicate", support),
        await status("POST", "/move-journeys", support),
        await status("POST", "/validate", support),
    ] == [200, 200, 200, 403, 403, 403, 403, 403, 403, 403]
    assert [
        await status("GET", "", developer),
        await status("POST", "/validate", developer),
        await status("POST", "/deactivate", developer, **finish),
        await status("PUT", "/draft", developer, **draft),
    ] == [403, 403, 403, 403]
    assert [
        await status("PUT", "/draft", marketer, **draft),
        await status("POST", "/publish", marketer),
        await status("POST", "/activate", marketer),
        await status("POST", "/deactivate", marketer, **finish),
    ] == [200, 201, 200, 200]
