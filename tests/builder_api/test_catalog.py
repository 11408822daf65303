"""The catalog gives the builder every action's form (JSON Schema) and the language's names."""

from typing import get_args

from engine.language.actions import load_actions
from engine.language.definition import FIELD_ROOTS, STEP_TYPES, JourneyEvent, Operator, TriggerEvent
from engine.service.auth import Role
from tests.builder_api.conftest import Api

BUILT_IN = {"send_email", "create_discount", "notify_owner", "send_webhook", "tag_customer",
            "mark_cart_lost"}  # fmt: skip


async def test_every_built_in_action_is_listed_with_its_params_schema(api: Api) -> None:
    response = await api.http.get("/api/v1/catalog")

    assert response.status_code == 200, response.text
    listed = {entry["name"]: entry for entry in response.json()["actions"]}
    assert set(listed) >= BUILT_IN
    registered = load_actions()
    for name in BUILT_IN:
        entry, params_model = listed[name], registered[name].params_model
        assert entry["label"] and entry["category"] and entry["description"], name
        schema = entry["params_schema"]
        assert schema["type"] == "object"
        fields = {field.alias or key for key, field in params_model.model_fields.items()}
        assert set(schema.get("properties", {})) == fields, name
        assert schema == params_model.model_json_schema()
    assert listed["send_email"]["messages_customer"] is True
    assert listed["create_discount"]["messages_customer"] is False
    assert listed["create_discount"]["params_schema"]["properties"]["percent"]["maximum"] == 90
    assert listed["send_email"]["category"] == "Messages"


async def test_it_names_what_definitions_may_use(api: Api) -> None:
    catalog = (await api.http.get("/api/v1/catalog")).json()

    assert catalog["step_types"] == list(STEP_TYPES)
    assert catalog["triggers"] == list(get_args(TriggerEvent))
    assert catalog["events"] == list(get_args(JourneyEvent))
    assert catalog["operators"] == list(get_args(Operator))
    assert catalog["field_roots"] == list(FIELD_ROOTS)
    assert {"cart-reminder", "cart-discount", "owner-notification"} <= set(catalog["templates"])
    categories = [(a["category"], a["label"]) for a in catalog["actions"]]
    assert categories == sorted(categories), "grouped for the builder's palette"


async def test_marketers_and_developers_may_read_it_support_and_ingest_may_not(api: Api) -> None:
    url = "/api/v1/catalog"
    readers = [
        (await api.http.get(url, headers=api.token(role))).status_code
        for role in (Role.marketer, Role.developer)
    ]
    refused = [
        (await api.http.get(url, headers=api.token(role))).json()["code"]
        for role in (Role.support, Role.ingest)
    ]
    anonymous = await api.http.get(url, headers={"Authorization": ""})

    assert readers == [200, 200]
    assert refused == ["forbidden", "forbidden"]
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "unauthenticated")


async def test_openapi_describes_it(api: Api) -> None:
    document = (await api.http.get("/api/v1/openapi.json")).json()

    operation = document["paths"]["/api/v1/catalog"]["get"]
    assert operation["summary"] and operation["description"]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/CatalogPublic"}
    assert "params_schema" in document["components"]["schemas"]["CatalogAction"]["properties"]
