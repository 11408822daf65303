"""API tokens: named, with a role, shown once, stored hashed, listed, revoked at once."""

import hashlib

from sqlmodel import select

from engine.service.auth import Role
from engine.store.db import session_scope
from engine.store.models import ApiToken
from tests.builder_api.conftest import Api
from tests.conftest import ADMIN_TOKEN


async def test_a_new_token_is_shown_once_and_works_at_once(api: Api) -> None:
    created = await api.http.post(
        "/api/v1/tokens", json={"name": "  shop events (prod)  ", "role": "ingest"}
    )
    token = created.json()
    listed = (await api.http.get("/api/v1/tokens")).json()
    as_it = {"Authorization": f"Bearer {token['token']}"}
    catalog = await api.http.get("/api/v1/catalog", headers=as_it)

    assert created.status_code == 201, created.text
    assert created.headers["Cache-Control"] == "no-store"
    assert token["token"].startswith("bmr_") and len(token["token"]) > 40
    assert (token["name"], token["role"], token["revoked_at"]) == (
        "shop events (prod)",
        "ingest",
        None,
    )
    [mine] = [entry for entry in listed if entry["id"] == token["id"]]
    assert set(mine) == {"id", "name", "role", "created_at", "revoked_at"}
    assert token["token"] not in str(listed)
    assert (catalog.status_code, catalog.json()["code"]) == (403, "forbidden"), "ingest only"


async def test_only_the_hash_of_a_token_is_stored(api: Api) -> None:
    value = (await api.http.post("/api/v1/tokens", json={"name": "n", "role": "support"})).json()[
        "token"
    ]

    with session_scope(api.settings.resolved_database_url) as session:
        rows = session.exec(select(ApiToken)).all()
        stored = [row.model_dump() for row in rows]

    assert value not in str(stored)
    assert hashlib.sha256(value.encode()).hexdigest() in [row["token_hash"] for row in stored]


async def test_a_revoked_token_gets_401_at_once(api: Api) -> None:
    token = (await api.http.post("/api/v1/tokens", json={"name": "m", "role": "marketer"})).json()
    as_it = {"Authorization": f"Bearer {token['token']}"}
    before = await api.http.get("/api/v1/catalog", headers=as_it)

    revoked = await api.http.delete(f"/api/v1/tokens/{token['id']}")
    after = await api.http.get("/api/v1/catalog", headers=as_it)
    again = await api.http.delete(f"/api/v1/tokens/{token['id']}")

    assert before.status_code == 200
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert (after.status_code, after.json()["code"]) == (401, "invalid_token")
    assert again.status_code == 200, "revoking twice changes nothing"
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]


async def test_names_are_required_trimmed_and_bounded_and_roles_known(api: Api) -> None:
    answers = [
        await api.http.post("/api/v1/tokens", json=body)
        for body in (
            {"name": "   ", "role": "ingest"},
            {"name": "x" * 201, "role": "ingest"},
            {"name": "line\nbreak", "role": "ingest"},
            {"role": "ingest"},
            {"name": "ok", "role": "root"},
        )
    ]
    longest = await api.http.post("/api/v1/tokens", json={"name": "x" * 200, "role": "ingest"})

    assert [(a.status_code, a.json()["problems"][0]["field"]) for a in answers] == [
        (422, "name"),
        (422, "name"),
        (422, "name"),
        (422, "name"),
        (422, "role"),
    ]
    assert longest.status_code == 201


async def test_developers_manage_ingest_tokens_only(api: Api) -> None:
    developer = api.token(Role.developer)
    admin_made = (await api.http.post("/api/v1/tokens", json={"name": "a", "role": "admin"})).json()

    ingest = await api.http.post(
        "/api/v1/tokens", json={"name": "shop", "role": "ingest"}, headers=developer
    )
    marketer = await api.http.post(
        "/api/v1/tokens", json={"name": "me", "role": "marketer"}, headers=developer
    )
    listed = (await api.http.get("/api/v1/tokens", headers=developer)).json()
    revoke_admin = await api.http.delete(f"/api/v1/tokens/{admin_made['id']}", headers=developer)
    revoke_ingest = await api.http.delete(
        f"/api/v1/tokens/{ingest.json()['id']}", headers=developer
    )

    assert ingest.status_code == 201
    assert (marketer.status_code, marketer.json()["code"]) == (403, "forbidden")
    assert {entry["role"] for entry in listed} == {"ingest"}
    assert (revoke_admin.status_code, revoke_admin.json()["code"]) == (403, "forbidden")
    assert revoke_ingest.status_code == 200


async def test_the_last_admin_token_cannot_be_revoked(api: Api) -> None:
    admins = [t for t in (await api.http.get("/api/v1/tokens")).json() if t["role"] == "admin"]
    [configured] = admins

    refused = await api.http.delete(f"/api/v1/tokens/{configured['id']}")
    second = (await api.http.post("/api/v1/tokens", json={"name": "b", "role": "admin"})).json()
    revoked = await api.http.delete(f"/api/v1/tokens/{configured['id']}")
    as_second = {"Authorization": f"Bearer {second['token']}"}
    last = await api.http.delete(f"/api/v1/tokens/{second['id']}", headers=as_second)
    old = await api.http.get("/api/v1/tokens", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})

    assert (refused.status_code, refused.json()["code"]) == (409, "last_admin_token")
    assert revoked.status_code == 200
    assert (last.status_code, last.json()["code"]) == (409, "last_admin_token")
    assert old.status_code == 401


async def test_an_unknown_token_id_is_a_404(api: Api) -> None:
    response = await api.http.delete("/api/v1/tokens/tok_000000000000")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


async def test_openapi_describes_the_token_and_audit_routes(api: Api) -> None:
    paths = (await api.http.get("/api/v1/openapi.json")).json()["paths"]

    for path, method in (
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens/{token_id}", "delete"),
        ("/api/v1/audit", "get"),
    ):
        assert paths[path][method]["summary"] and paths[path][method]["description"], path
