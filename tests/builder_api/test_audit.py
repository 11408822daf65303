"""The audit log: every change made through the API with a token, who made it, when, and how
it ended; readable by admins."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI

from builder_api.audit_log import AuditLog
from builder_api.deps import require
from builder_api.errors import install_error_handlers
from engine.service.auth import Role
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event


async def _entries(api: Api, **params: Any) -> list[dict[str, Any]]:
    response = await api.http.get("/api/v1/audit", params=params)
    assert response.status_code == 200, response.text
    entries: list[dict[str, Any]] = response.json()
    return entries


def _template(name: str) -> dict[str, str]:
    return {"name": name, "subject": "Hi", "mjml": "<mjml><mj-body></mj-body></mjml>"}


async def test_a_change_is_logged_with_who_what_and_how_it_ended(api: Api) -> None:
    marketer = api.token(Role.marketer)
    created = await api.http.post("/api/v1/templates", json=_template("audited"), headers=marketer)
    published = await api.http.post("/api/v1/templates/audited/publish", headers=marketer)

    publish, create = (await _entries(api))[:2]

    assert (created.status_code, published.status_code) == (201, 200)
    assert create["action"] == "POST /api/v1/templates"
    assert (create["resource"], create["detail"]) == (created.json()["id"], {"name": "audited"})
    assert (create["token_name"], create["role"], create["status_code"]) == (
        "test marketer",
        "marketer",
        201,
    )
    assert publish["action"] == "POST /api/v1/templates/{template}/publish"
    assert (publish["resource"], publish["detail"]) == (
        "audited",
        {"path": {"template": "audited"}},
    )
    assert publish["token_id"] == create["token_id"] is not None
    assert datetime.fromisoformat(publish["at"]) >= datetime.fromisoformat(create["at"])


async def test_refused_and_failed_changes_are_logged_too(api: Api) -> None:
    support = api.token(Role.support)
    forbidden = await api.http.post("/api/v1/templates", json=_template("x"), headers=support)
    invalid = await api.http.post("/api/v1/templates", json={"name": "Not A Name"})
    not_json = await api.http.post(
        "/api/v1/tokens", content=b"{", headers={"Content-Type": "application/json"}
    )
    missing = await api.http.delete("/api/v1/tokens/tok_000000000000")

    entries = await _entries(api)

    assert [e["status_code"] for e in entries[:4]] == [404, 400, 422, 403]
    assert [forbidden.status_code, invalid.status_code, not_json.status_code] == [403, 422, 400]
    assert missing.status_code == 404
    assert (entries[3]["role"], entries[2]["role"]) == ("support", "admin")
    assert entries[0]["resource"] == "tok_000000000000"


async def test_reads_anonymous_calls_events_and_webhooks_are_not_logged(api: Api) -> None:
    await api.http.get("/api/v1/templates")
    await api.http.post("/api/v1/templates", json=_template("x"), headers={"Authorization": ""})
    event = await api.http.post("/api/v1/events", json=cart_event(CART_ABANDONED, "cart_audit"))
    await api.http.post("/api/v1/webhooks/brevo", json={"event": "delivered"})

    assert event.status_code == 202, event.text
    assert await _entries(api) == []


async def test_a_new_tokens_value_never_reaches_the_log(api: Api) -> None:
    created = (await api.http.post("/api/v1/tokens", json={"name": "ci", "role": "ingest"})).json()
    await api.http.delete(f"/api/v1/tokens/{created['id']}")

    revoke, create = await _entries(api)

    assert created["token"] not in json.dumps([revoke, create])
    assert (create["action"], create["resource"]) == ("POST /api/v1/tokens", created["id"])
    assert create["detail"] == {"name": "ci", "role": "ingest"}
    assert (revoke["action"], revoke["resource"]) == (
        "DELETE /api/v1/tokens/{token_id}",
        created["id"],
    )


async def test_entries_filter_by_token_and_time_newest_first_and_bounded(api: Api) -> None:
    marketer = api.token(Role.marketer)
    for name in ("a-1", "a-2", "a-3"):
        await api.http.post("/api/v1/templates", json=_template(name), headers=marketer)
    await api.http.post("/api/v1/templates", json=_template("by-admin"))
    marketer_id = (await _entries(api))[1]["token_id"]

    by_marketer = await _entries(api, token_id=marketer_id)
    newest_two = await _entries(api, limit=2)
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    later = await _entries(api, since=future)
    too_many = await api.http.get("/api/v1/audit", params={"limit": 501})

    assert [e["resource"] for e in by_marketer] == [
        e["resource"] for e in (await _entries(api))[1:4]
    ]
    assert [e["detail"]["name"] for e in by_marketer] == ["a-3", "a-2", "a-1"]
    assert [e["detail"]["name"] for e in newest_two] == ["by-admin", "a-3"]
    assert later == []
    assert (too_many.status_code, too_many.json()["problems"][0]["field"]) == (422, "query.limit")


async def test_only_admins_read_the_log(api: Api) -> None:
    answers = [
        (await api.http.get("/api/v1/audit", headers=api.token(role))).status_code for role in Role
    ]

    assert answers == [200] + [403] * (len(Role) - 1)


async def test_a_call_that_fails_with_500_is_logged_before_the_error_goes_on(api: Api) -> None:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(AuditLog, settings=api.settings)
    app.state.settings = api.settings
    router = APIRouter(prefix="/api/v1")

    @router.post("/boom/{thing}", dependencies=[require(Role.marketer)])
    def boom(thing: str) -> None:
        raise RuntimeError(f"{thing} broke")

    app.include_router(router)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post("/api/v1/boom/it", headers=api.token(Role.marketer))

    [entry] = await _entries(api)
    assert response.status_code == 500
    assert (entry["action"], entry["resource"], entry["status_code"]) == (
        "POST /api/v1/boom/{thing}",
        "it",
        500,
    )
