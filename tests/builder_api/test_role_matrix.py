"""Who may call what: every route of the app × every role, against one table.

ACCESS is the intended access, from the roles of the issue:
- admin: everything, and manages tokens (admins pass every route below but public ones);
- marketer: automations, templates, presets, analytics, reading and messaging carts (and
  recovery links); and the catalog (the builder's
  palette and forms come from it) and the outbox (what automations and test sends emailed);
  simulations of an automation (nothing is sent);
- developer: the catalog, tokens for ingest (only ingest tokens: tests/builder_api/
  test_tokens.py), webhooks and the shop integrations' status; and the outbox (the dev email
  transport); simulations (`boomerang simulate` gates CI on them);
- support: journeys and carts: read (and a cart's recovery link), pause, resume, cancel;
  reads automations and may switch one off (PRODUCT.md: support "deactivates a whole
  automation"), never edits one;
- ingest: events only;
- storefront (a publishable key in the shop's pages): refused (403 `forbidden`) everywhere
  but the events route, where its own rules answer first (STOREFRONT_ONLY_HERE: here, without
  an allowed Origin, 403 naming the origin rule; tests/builder_api/test_storefront.py shows
  what it may post).
PUBLIC routes take no bearer token: a link's token, a shared secret, or nothing.

A route missing from the table fails `test_every_route_is_in_the_table`: add it with the
roles above.
"""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.service.auth import Role
from tests.builder_api.conftest import Api

PUBLIC = "public"
M, D, S, IN, SF = Role.marketer, Role.developer, Role.support, Role.ingest, Role.storefront
ADMIN_ONLY: set[Role] = set()

ACCESS: dict[tuple[str, str], set[Role] | str] = {
    # Automations: the marketers'; support reads them and may deactivate one.
    ("POST", "/api/v1/automations"): {M},
    ("GET", "/api/v1/automations"): {M, S},
    ("GET", "/api/v1/automations/{automation_id}"): {M, S},
    ("PUT", "/api/v1/automations/{automation_id}/draft"): {M},
    ("DELETE", "/api/v1/automations/{automation_id}/draft"): {M},
    ("POST", "/api/v1/automations/{automation_id}/validate"): {M},
    ("POST", "/api/v1/automations/{automation_id}/publish"): {M},
    ("GET", "/api/v1/automations/{automation_id}/versions"): {M, S},
    ("GET", "/api/v1/automations/{automation_id}/versions/{version}"): {M, S},
    ("POST", "/api/v1/automations/{automation_id}/rollback"): {M},
    ("POST", "/api/v1/automations/{automation_id}/activate"): {M},
    ("POST", "/api/v1/automations/{automation_id}/deactivate"): {M, S},
    ("POST", "/api/v1/automations/{automation_id}/duplicate"): {M},
    ("POST", "/api/v1/automations/{automation_id}/archive"): {M},
    ("POST", "/api/v1/automations/{automation_id}/move-journeys"): {M},
    # Simulations: who builds automations tries them; developers too (CI).
    ("POST", "/api/v1/automations/{automation_id}/simulate"): {M, D},
    ("GET", "/api/v1/simulations/{simulation_id}"): {M, D},
    ("GET", "/api/v1/simulations/{simulation_id}/carts"): {M, D},
    ("GET", "/api/v1/presets"): {M},
    ("POST", "/api/v1/presets/{key}/install"): {M},
    ("GET", "/api/v1/templates"): {M},
    ("POST", "/api/v1/templates"): {M},
    ("GET", "/api/v1/templates/variables"): {M},
    ("GET", "/api/v1/templates/{template}"): {M},
    ("PUT", "/api/v1/templates/{template}/draft"): {M},
    ("POST", "/api/v1/templates/{template}/publish"): {M},
    ("POST", "/api/v1/templates/{template}/preview"): {M},
    ("POST", "/api/v1/templates/{template}/test-send"): {M},
    ("GET", "/api/v1/catalog"): {M, D},
    ("GET", "/api/v1/outbox"): {M, D},
    # Results: the marketers' (contract-14).
    ("GET", "/api/v1/analytics/overview"): {M},
    ("GET", "/api/v1/analytics/automations/{automation_id}"): {M},
    # Journeys: support's.
    ("GET", "/api/v1/journeys"): {S},
    ("GET", "/api/v1/journeys/{journey_id}"): {S},
    ("POST", "/api/v1/journeys/{journey_id}/pause"): {S},
    ("POST", "/api/v1/journeys/{journey_id}/resume"): {S},
    ("POST", "/api/v1/journeys/{journey_id}/cancel"): {S},
    # Carts: support and marketers read them and make recovery links; marketers message them.
    ("GET", "/api/v1/carts"): {S, M},
    ("GET", "/api/v1/carts.csv"): {S, M},
    ("GET", "/api/v1/carts/{cart_id}"): {S, M},
    ("POST", "/api/v1/carts/{cart_id}/recovery-link"): {S, M},
    ("POST", "/api/v1/carts/{cart_id}/message"): {M},
    ("POST", "/api/v1/carts/bulk-message"): {M},
    ("GET", "/api/v1/carts/bulk-message/{run_id}"): {M},
    # The shop's events (or an HMAC signature instead of a token).
    ("POST", "/api/v1/events"): {IN},
    # Tokens: admins manage all, developers ingest tokens; the audit log is the admins'.
    ("POST", "/api/v1/tokens"): {D},
    ("GET", "/api/v1/tokens"): {D},
    ("DELETE", "/api/v1/tokens/{token_id}"): {D},
    ("GET", "/api/v1/audit"): ADMIN_ONLY,
    # Shop settings (sender, frequency cap, inactivity threshold, default quiet hours).
    ("GET", "/api/v1/settings"): ADMIN_ONLY,
    ("PUT", "/api/v1/settings"): ADMIN_ONLY,
    # Whoever lists automations learns who may enter them (marketing consent required or not).
    ("GET", "/api/v1/settings/enrolment"): {M, S},
    # Shop platforms and the storefront: developers set up the shop's integration and read its
    # status; sending a test event (which records a test cart) is the admins'.
    ("GET", "/api/v1/integrations"): {D},
    ("POST", "/api/v1/integrations/{platform}/test"): ADMIN_ONLY,
    # A customer's personal data (summary, export, erasure): support, who answers customers;
    # the retention purge's runs and the platforms' data requests: admins.
    ("GET", "/api/v1/customers/summary"): {S},
    ("GET", "/api/v1/customers/export"): {S},
    ("POST", "/api/v1/customers/erase"): {S},
    ("GET", "/api/v1/privacy/retention-runs"): ADMIN_ONLY,
    ("POST", "/api/v1/privacy/retention-runs"): ADMIN_ONLY,
    ("GET", "/api/v1/privacy/data-requests"): ADMIN_ONLY,
    # Any live token learns its own name and role (the builder's sign-in).
    ("GET", "/api/v1/me"): {M, D, S, IN},
    # No bearer token: a recovery link's token, Brevo's shared secret, emailed links, probes.
    ("GET", "/api/v1/carts/{cart_id}/restore"): PUBLIC,
    ("POST", "/api/v1/webhooks/brevo"): PUBLIC,
    ("POST", "/api/v1/integrations/shopify/webhooks"): PUBLIC,
    ("POST", "/api/v1/integrations/woocommerce/webhooks"): PUBLIC,
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/r/{token}"): PUBLIC,
    ("GET", "/u/{token}"): PUBLIC,
    ("POST", "/u/{token}"): PUBLIC,
    ("GET", "/sdk/boomerang.js"): PUBLIC,
}
# The one route a storefront key reaches, where the storefront rules refuse a caller that is
# not on one of the shop's origins (none are set here).
STOREFRONT_ONLY_HERE = {("POST", "/api/v1/events")}
STOREFRONT_REFUSALS = {"storefront_origins_unset", "origin_not_allowed"}
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
NOT_JSON = b"{not json"


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) the app serves through a FastAPI route."""
    return sorted(
        (method, context.path or "")
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        and context.original_route.name != "ui_missing"  # only while the UI is not built
        for method in context.original_route.methods
    )


def url(path: str, value: str = "0") -> str:
    """The path with every parameter filled with a value that names nothing."""
    parts = path.split("/")
    return "/".join(value if part.startswith("{") else part for part in parts)


def test_every_route_is_in_the_table(settings: Settings) -> None:
    served = set(api_routes(create_app(settings)))

    uncovered = sorted(served - ACCESS.keys())
    stale = sorted(ACCESS.keys() - served)

    assert not uncovered, "routes missing from ACCESS (add each with its roles): " + ", ".join(
        f"{method} {path}" for method, path in uncovered
    )
    assert not stale, "ACCESS names routes the app does not serve: " + ", ".join(
        f"{method} {path}" for method, path in stale
    )


async def _revoked_token(api: Api) -> dict[str, str]:
    created = await api.http.post("/api/v1/tokens", json={"name": "revoked", "role": "admin"})
    await api.http.delete(f"/api/v1/tokens/{created.json()['id']}")
    return {"Authorization": f"Bearer {created.json()['token']}"}


def _requests(method: str) -> list[tuple[str, dict[str, Any]]]:
    """For calls that change something an empty body, and one that is not even JSON: the role
    check comes first either way."""
    if method not in MUTATING:
        return [("", {})]
    not_json = {"content": NOT_JSON, "headers": {"Content-Type": "application/json"}}
    return [(" with {}", {"json": {}}), (" with a body that is not JSON", not_json)]


async def test_every_route_admits_exactly_the_roles_of_the_table(api: Api) -> None:
    callers: dict[str, dict[str, str]] = {str(role): api.token(role) for role in Role}
    callers["no token"] = {"Authorization": ""}
    callers["revoked token"] = await _revoked_token(api)
    wrong: list[str] = []

    for (method, path), access in ACCESS.items():
        for body, request in _requests(method):
            answers: dict[str, tuple[int, str | None]] = {}
            for who, token in callers.items():
                headers = {**request.get("headers", {}), **token}
                response = await api.http.request(
                    method, url(path), **{**request, "headers": headers}
                )
                code = _code(response)
                answers[who] = (response.status_code, code)
            wrong += [
                f"{method} {path}{body} as {who}: {status} {code}, expected {expected}"
                for who, (status, code) in answers.items()
                if not _as_expected(
                    expected := _expected(access, who, (method, path)), status, code
                )
            ]
            if access == PUBLIC and len({status for status, _ in answers.values()}) != 1:
                wrong.append(f"{method} {path}: a bearer token changes the answer: {answers}")

    assert not wrong, "\n".join(wrong)


def _code(response: httpx.Response) -> str | None:
    """The error's `code`, if the answer is an error body."""
    if "application/json" not in response.headers.get("content-type", ""):
        return None
    body = response.json()
    return body.get("code") if isinstance(body, dict) else None


def _expected(access: set[Role] | str, who: str, route: tuple[str, str]) -> str:
    if access == PUBLIC:
        return "not 401/403 from a bearer token"
    if who == Role.storefront and route in STOREFRONT_ONLY_HERE:
        return "403 by a storefront rule"
    if who == "no token":
        return "401 unauthenticated"
    if who == "revoked token":
        return "401 invalid_token"
    allowed = {Role.admin, *access}
    return "allowed" if who in allowed else "403 forbidden"


def _as_expected(expected: str, status: int, code: str | None) -> bool:
    if status >= 500:
        return False
    match expected:
        case "401 unauthenticated":
            return (status, code) == (401, "unauthenticated")
        case "401 invalid_token":
            return (status, code) == (401, "invalid_token")
        case "403 forbidden":
            return (status, code) == (403, "forbidden")
        case "403 by a storefront rule":
            return status == 403 and code in STOREFRONT_REFUSALS
        case "allowed":
            return status not in (401, 403)
        case _:  # public: its own credential may refuse (401), never for a bearer token
            return code not in ("unauthenticated", "invalid_token", "forbidden")


@pytest.mark.parametrize("role", [Role.ingest, None])
async def test_a_refused_caller_learns_nothing_from_a_broken_body(
    api: Api, role: Role | None
) -> None:
    """FastAPI reads a JSON body before any dependency runs; the role is still checked first."""
    headers = api.token(role) if role else {"Authorization": ""}
    headers["Content-Type"] = "application/json"

    not_json = await api.http.post("/api/v1/automations", content=NOT_JSON, headers=headers)
    not_utf8 = await api.http.post("/api/v1/tokens", content=b'{"a": "\xff"}', headers=headers)

    expected = (403, "forbidden") if role else (401, "unauthenticated")
    assert (not_json.status_code, not_json.json()["code"]) == expected
    assert (not_utf8.status_code, not_utf8.json()["code"]) == expected
