"""/healthz reports its dependencies; the OpenAPI document describes every route."""

import httpx
from fastapi.routing import APIRoute

from builder_api.main import create_app
from builder_api.routes import (
    automations,
    carts,
    catalog,
    events,
    health,
    journeys,
    outbox,
    templates,
    webhooks,
)
from engine.runtime.settings import Settings
from tests.builder_api.conftest import Api


async def test_healthz_needs_no_token_and_reports_ok(api: Api) -> None:
    response = await api.http.get("/healthz", headers={"Authorization": ""})

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "temporal": "ok"}


async def test_healthz_is_503_when_temporal_cannot_be_reached(settings: Settings) -> None:
    unreachable = settings.model_copy(update={"temporal_address": "127.0.0.1:1"})
    transport = httpx.ASGITransport(app=create_app(unreachable))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"]) == ("degraded", "ok")
    assert body["temporal"].startswith("unreachable")


async def test_openapi_describes_every_route(api: Api) -> None:
    document = (await api.http.get("/api/v1/openapi.json")).json()

    routes = [
        (prefix + route.path, method)
        for prefix, modules in (
            (
                "/api/v1",
                (automations, carts, catalog, events, journeys, outbox, templates, webhooks),
            ),
            ("", (health,)),
        )
        for module in modules
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    ]
    assert len(routes) >= 6
    for path, method in routes:
        operation = document["paths"][path][method.lower()]
        assert operation.get("summary") and operation.get("description"), path
    body = document["paths"]["/api/v1/events"]["post"]["requestBody"]["content"]
    schema = body["application/json"]["schema"]
    assert "CartAbandonedEvent" in str(schema) and "EventBatch" in str(schema)
    assert "CartAbandonedData" in document["components"]["schemas"]


async def test_the_ui_is_served_at_the_root(api: Api) -> None:
    response = await api.http.get("/", headers={"Authorization": ""})

    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert '<div id="root">' in response.text, "the built builder UI, not the fallback page"
