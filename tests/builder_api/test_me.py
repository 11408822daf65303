"""`GET /api/v1/me`: a token learns its own name and role (the builder's sign-in)."""

import pytest

from engine.service.auth import Role
from tests.builder_api.conftest import Api


@pytest.mark.parametrize("role", [role for role in Role if role != Role.storefront])
async def test_every_live_token_learns_its_role(api: Api, role: Role) -> None:
    created = await api.http.post("/api/v1/tokens", json={"name": f"{role} desk", "role": role})
    token = created.json()

    me = await api.http.get("/api/v1/me", headers={"Authorization": f"Bearer {token['token']}"})

    assert me.status_code == 200, me.text
    assert me.json() == {"token_id": token["id"], "name": f"{role} desk", "role": role}


async def test_a_storefront_key_learns_nothing(api: Api) -> None:
    # A publishable key sits in the shop's pages: it may report carts, nothing else.
    created = await api.http.post("/api/v1/tokens", json={"name": "pages", "role": "storefront"})

    me = await api.http.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {created.json()['token']}"}
    )

    assert me.status_code == 403, me.text


async def test_an_unknown_token_is_refused(api: Api) -> None:
    me = await api.http.get("/api/v1/me", headers={"Authorization": "Bearer bmr_nope"})

    assert (me.status_code, me.json()["code"]) == (401, "invalid_token")
