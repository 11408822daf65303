"""The FastAPI app: routers under /api/v1, /healthz, the storefront snippet at
/sdk/boomerang.js, and the built UI at /."""

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from pydantic import TypeAdapter
from starlette.routing import BaseRoute

from builder_api.audit_log import AuditLog
from builder_api.body_limit import BodyLimit
from builder_api.deps import (
    LINK_BURST,
    LINK_RATE_PER_MINUTE,
    UNSUBSCRIBE_BURST,
    UNSUBSCRIBE_RATE_PER_MINUTE,
    check_caller_first,
    no_nul_in_the_url,
)
from builder_api.errors import install_error_handlers
from builder_api.log_redaction import redact_access_log
from builder_api.routes import (
    analytics,
    audit,
    automations,
    cart_messages,
    carts,
    catalog,
    customers,
    events,
    health,
    integrations,
    journeys,
    links,
    me,
    outbox,
    presets,
    privacy,
    sdk,
    simulations,
    templates,
    tokens,
    webhooks,
)
from builder_api.routes import settings as settings_routes  # `settings` names the app's settings
from builder_api.schemas.errors import ErrorOut
from builder_api.security_headers import SecurityHeaders
from builder_api.storefront import AllowedOrigins, RateLimit, StorefrontCors
from engine.language.definition import Automation
from engine.runtime.settings import Settings
from engine.service.temporal import TemporalLink

UI_MISSING = """<!doctype html><title>Boomerang</title>
<h1>Boomerang</h1><p>The builder UI is not built. Run <code>make run</code>
(or <code>npm ci &amp;&amp; npm run build</code> in <code>builder_ui/</code>).</p>"""


def create_app(settings: Settings | None = None) -> FastAPI:
    app = FastAPI(
        title="Boomerang",
        version="1",
        summary="Abandoned-cart and post-purchase automations on durable journeys.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings or Settings()
    redact_access_log()  # `/r/<token>` and `?secret=` never reach the access log
    app.state.temporal = TemporalLink(app.state.settings)
    install_error_handlers(app, check_caller_first)
    app.add_middleware(AuditLog, settings=app.state.settings)
    # The storefront snippet's CORS and rate limit (builder_api/storefront.py).
    app.state.storefront_origins = AllowedOrigins(app.state.settings)
    app.state.storefront_rate_limit = RateLimit()
    app.state.link_rate_limit = RateLimit(
        per_minute=LINK_RATE_PER_MINUTE, burst=LINK_BURST, allowance="links may be opened"
    )
    app.state.unsubscribe_rate_limit = RateLimit(
        per_minute=UNSUBSCRIBE_RATE_PER_MINUTE,
        burst=UNSUBSCRIBE_BURST,
        allowance="unsubscribes may be posted",
    )
    app.add_middleware(StorefrontCors, origins=app.state.storefront_origins)
    # Outermost: every answer gets the headers, and no body passes the limit unseen.
    app.add_middleware(BodyLimit, settings=app.state.settings)
    app.add_middleware(SecurityHeaders)

    app.router.routes.extend(_routes())
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    _serve_ui(app)
    return app


@cache
def _routes() -> tuple[BaseRoute, ...]:
    """The API's routes, built once per process and shared by every app it makes. FastAPI
    analyses each route's parameters and models when its router is included (~0.35 s for
    these) and again at its first request (~0.2 s); the routes keep no state of an app (the
    settings, Temporal, the limits are in `app.state`), so an app made again in the same
    process (the tests make one per test) reuses that work."""
    routed = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422, 503)
    }
    api = APIRouter(prefix="/api/v1", responses=errors, dependencies=[Depends(no_nul_in_the_url)])
    for module in (
        analytics,
        audit,
        automations,
        cart_messages,  # before carts: its literal paths first
        carts,
        catalog,
        customers,
        events,
        integrations,
        journeys,
        me,
        outbox,
        presets,
        privacy,
        settings_routes,
        simulations,
        templates,
        tokens,
        webhooks,
    ):
        api.include_router(module.router)
    routed.include_router(api)
    routed.include_router(health.router)
    routed.include_router(links.router)  # public pages behind emailed links: /r/..., /u/...
    routed.include_router(sdk.router)  # the storefront snippet: /sdk/boomerang.js
    return tuple(routed.router.routes)


def _without_null_defaults(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: _without_null_defaults(value)
            for key, value in schema.items()
            if not (key == "default" and value is None)
        }
    if isinstance(schema, list):
        return [_without_null_defaults(value) for value in schema]
    return schema


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document plus the event shapes the events route parses itself, and the
    automation definition (routes take drafts as any JSON object, valid or not; the builder's
    types come from `Automation` and its parts)."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        definition = TypeAdapter(Automation).json_schema(
            ref_template="#/components/schemas/{model}"
        )
        extra = {**events.REQUEST_SCHEMA.get("$defs", {}), **definition.pop("$defs")}
        extra["Automation"] = definition
        # A route may answer with a definition model too (settings: `QuietHours`), or take an
        # event's part (a simulation's sample carts): the same schema under the same name is
        # one component (FastAPI leaves out `"default": null`), a different one is a clash.
        clashes = {
            name
            for name in extra.keys() & components.keys()
            if _without_null_defaults(extra[name]) != _without_null_defaults(components[name])
        }
        assert not clashes, f"schema names used twice: {sorted(clashes)}"
        components.update(extra)
        app.openapi_schema = schema
    return app.openapi_schema


def _serve_ui(app: FastAPI) -> None:
    dist = Path(str(files("builder_ui") / "dist"))
    if (dist / "index.html").is_file():
        app.mount("/", StaticFiles(directory=dist, html=True), name="ui")
    else:

        @app.get("/", include_in_schema=False)
        def ui_missing() -> HTMLResponse:
            return HTMLResponse(UI_MISSING)
