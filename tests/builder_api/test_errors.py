"""Whatever a client sends, the answer is never a 500, and every 4xx under /api/v1 says what
went wrong with a stable `code` and a human `message`."""

from typing import Any

import httpx

from builder_api.main import create_app
from tests.builder_api.conftest import Api
from tests.builder_api.test_role_matrix import MUTATING, api_routes, url

# Path values: nothing by that id, a NUL (PostgreSQL refuses it in text), far too long,
# not ASCII, a path trick.
ODD_IDS = ["0", "%00", "x" * 5000, "%F0%9F%92%A5", "..%2F..%2Fetc"]
ODD_QUERY = {
    "limit": "99999999999999999999",
    "since": "yesterday",
    "token_id": "\x00",
    "to": "\x00",
    "cart_id": "\x00",
    "automation_id": "\x00",
    "token": "\x00",
    "secret": "\x00",
}
POISON: dict[str, Any] = {
    "name": "poison\x00",
    "role": "ingest",
    "description": "\x00",
    "subject": "\x00",
    "mjml": "<mjml><mj-body>\x00</mj-body></mjml>",
    "text": "\x00",
    "to": "a@example.com",
    "reason": "\x00",
    "version": 10**30,
    "definition": {
        "trigger": {"event": "cart_abandoned"},
        "steps": [{"id": "w\x00", "type": "wait", "duration": "1h"}],
    },
    "events": [{"event": "cart_updated", "timestamp": "2024-01-15T14:30:00Z", "data": {}}],
}
HUGE = b'{"name": "' + b"x" * 3_000_000 + b'"}'
JSON = {"Content-Type": "application/json"}
BODIES: list[tuple[str, dict[str, Any]]] = [
    ("not JSON", {"content": b"{not json", "headers": JSON}),
    ("not UTF-8", {"content": b'{"name": "\xff"}', "headers": JSON}),
    ("text/plain", {"content": b"hello", "headers": {"Content-Type": "text/plain"}}),
    ("no content type", {"content": b'{"name": "x"}', "headers": {"Content-Type": ""}}),
    ("a JSON list", {"json": [1, 2, 3]}),
    ("JSON null", {"content": b"null", "headers": JSON}),
    ("NUL and huge numbers", {"json": POISON}),
    ("3 MB", {"content": HUGE, "headers": JSON}),
]


def _faults(method: str, path: str, what: str, response: httpx.Response) -> list[str]:
    where = f"{method} {path} with {what}: {response.status_code}"
    if response.status_code >= 500:
        return [f"{where} {response.text[:300]}"]
    if response.status_code >= 400 and path.startswith("/api/v1/"):
        try:
            body = response.json()
        except ValueError:
            return [f"{where}, not a JSON error body"]
        if not (isinstance(body.get("code"), str) and isinstance(body.get("message"), str)):
            return [f"{where}, no code and message: {body}"]
    return []


async def test_no_input_makes_any_route_answer_500(api: Api) -> None:
    app = create_app(api.settings)
    faults: list[str] = []
    async with httpx.AsyncClient(
        # A 500 becomes an answer to report, instead of an exception that stops the test.
        transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
        base_url="http://boomerang.test",
        headers=api.http.headers,
    ) as http:
        for method, path in api_routes(app):
            for odd in ODD_IDS if "{" in path else ["0"]:
                for query in ({}, ODD_QUERY):
                    response = await http.request(method, url(path, odd), params=query)
                    what = f"id {odd[:20]!r}{' and odd query values' if query else ''}"
                    faults += _faults(method, path, what, response)
            if method in MUTATING:
                for what, request in BODIES:
                    response = await http.request(method, url(path), **request)
                    faults += _faults(method, path, what, response)

    assert not faults, "\n".join(faults)


async def test_unknown_paths_and_methods_under_the_api_answer_json(api: Api) -> None:
    unknown = await api.http.get("/api/v1/nothing-here", headers={"Accept": "text/html"})
    nested = await api.http.post("/api/v1/automations/0/nothing-here")
    wrong_method = await api.http.patch("/api/v1/tokens")

    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (nested.status_code, nested.json()["code"]) == (404, "not_found")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
    assert wrong_method.headers["Allow"] == "GET, POST"
    assert all(r.json()["message"] for r in (unknown, nested, wrong_method))


async def test_a_body_that_is_not_json_is_a_400_naming_the_position(api: Api) -> None:
    response = await api.http.post(
        "/api/v1/tokens", content=b'{"name": }', headers={"Content-Type": "application/json"}
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_json")
    assert "position 9" in response.json()["message"]
