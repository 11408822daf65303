"""What every route gets before it runs: a body limit, rate limits on the public link routes,
and the security headers on every answer. The app runs on a real database; Temporal is not
needed (none of these answers reach it)."""

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from builder_api.main import create_app
from builder_api.schemas.errors import ErrorOut
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from tests.conftest import ADMIN_TOKEN
from tests.e2e.stack import free_port

UI_BUILT = (Path(__file__).resolve().parents[2] / "builder_ui" / "dist" / "index.html").is_file()


class Clock:
    """A clock the test moves: no answer depends on how fast the host runs."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir = tmp_path_factory.mktemp("limits")
    settings = Settings(
        database_url=f"sqlite:///{data_dir / 'boomerang.db'}",
        data_dir=data_dir,
        api_token=ADMIN_TOKEN,
        temporal_address=f"127.0.0.1:{free_port()}",  # nobody listens: nothing here needs it
        max_body_bytes=100_000,
    )
    prepare(settings)
    yield create_app(settings)


@pytest.fixture
def clock(app: FastAPI) -> Clock:
    """A fresh allowance of 3 link requests and 2 unsubscribes per address, refilled at one
    a second."""
    clock = Clock()
    for limit, burst in ((app.state.link_rate_limit, 3), (app.state.unsubscribe_rate_limit, 2)):
        limit.clock, limit.burst, limit.per_minute, limit._buckets = clock, burst, 60, {}
    return clock


def client(app: FastAPI, address: str = "203.0.113.7", **headers: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 50000)),
        base_url="http://boomerang.test",
        headers=headers,
    )


@pytest.fixture
async def admin(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client(app, Authorization=f"Bearer {ADMIN_TOKEN}") as http:
        yield http


def _template(size: int) -> dict[str, str]:
    mjml = "<mjml><mj-body></mj-body></mjml>" + " " * size
    return {"name": "big-one", "subject": "Hello", "mjml": mjml}


async def _chunks(body: bytes, size: int = 16_384) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def test_a_body_declared_over_the_limit_is_refused_with_413(
    admin: httpx.AsyncClient,
) -> None:
    response = await admin.post("/api/v1/templates", json=_template(150_000))

    assert response.status_code == 413
    refusal = ErrorOut.model_validate(response.json())
    assert refusal.code == "body_too_large"
    assert "100,000 bytes" in refusal.message and "BOOMERANG_MAX_BODY_BYTES" in refusal.message
    assert (await admin.get("/api/v1/templates/big-one")).status_code == 404


async def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(
    admin: httpx.AsyncClient,
) -> None:
    body = json.dumps(_template(150_000)).encode()

    response = await admin.post(
        "/api/v1/templates", content=_chunks(body), headers={"Content-Type": "application/json"}
    )

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert ErrorOut.model_validate(response.json()).code == "body_too_large"
    assert (await admin.get("/api/v1/templates/big-one")).status_code == 404


async def test_a_chunked_body_over_the_limit_from_nobody_is_refused_as_unauthenticated(
    app: FastAPI,
) -> None:
    body = json.dumps(_template(150_000)).encode()
    async with client(app) as anonymous:
        response = await anonymous.post(
            "/api/v1/templates",
            content=_chunks(body),
            headers={"Content-Type": "application/json"},
        )

    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")


async def test_a_body_under_the_limit_passes(admin: httpx.AsyncClient) -> None:
    response = await admin.post("/api/v1/templates", json=_template(50_000))

    assert response.status_code == 201, response.text


def test_the_default_limit_holds_the_largest_legitimate_bodies() -> None:
    """A template at its longest (200,000 characters of MJML and of text, each escaped by
    JSON to six bytes at worst) and a full batch of 500 events, carts of 20 items with long
    names, image URLs and variants (the schema's own bounds, 1,000 items of 2,000-character
    URLs, would allow gigabytes: no shop sends that)."""
    limit = Settings().max_body_bytes
    template = {"name": "n" * 64, "subject": "s" * 300,
                "mjml": "\u2603" * 200_000, "text": "\u2603" * 200_000}  # fmt: skip
    item = {"id": "i" * 50, "name": "n" * 200, "price": 1, "quantity": 1,
            "image_url": "https://cdn.example.com/" + "p" * 280, "variant": "v" * 100}  # fmt: skip
    event = {
        "event": "cart_updated",
        "timestamp": "2024-01-15T14:30:00Z",
        "data": {"cart_id": "c" * 200, "customer_email": "e" * 60 + "@example.com",
                 "items": [item] * 20, "total": 1, "recovery_url": "https://s" + "u" * 1990},
    }  # fmt: skip

    assert len(json.dumps(template, ensure_ascii=True)) < limit
    assert len(json.dumps({"events": [event] * 500})) < limit


async def test_the_public_link_routes_are_rate_limited_per_address(
    app: FastAPI, clock: Clock
) -> None:
    async with client(app) as busy, client(app, "203.0.113.8") as other:
        first = [
            (await busy.get("/u/not-a-token")).status_code,
            (await busy.get("/r/not-a-token")).status_code,
            (await busy.get("/api/v1/carts/cart_1/restore", params={"token": "x"})).status_code,
        ]
        unsubscribes = [(await busy.post("/u/not-a-token")).status_code for _ in range(2)]
        limited = [
            await busy.get("/r/not-a-token"),
            await busy.get("/u/not-a-token"),
            await busy.get("/api/v1/carts/cart_1/restore", params={"token": "x"}),
            await busy.post("/u/not-a-token"),
        ]
        elsewhere = await other.get("/u/not-a-token")
        clock.now += 1
        later = await busy.get("/u/not-a-token")

    assert first == [404, 404, 404]
    assert unsubscribes == [404, 404], "one-click unsubscribes have an allowance of their own"
    for answer in limited:
        assert answer.status_code == 429
        assert answer.headers["retry-after"] == "1"
        assert ErrorOut.model_validate(answer.json()).code == "rate_limited"
    assert elsewhere.status_code == 404, "another address has its own allowance"
    assert later.status_code == 404, "after Retry-After, the address may open links again"


@pytest.mark.usefixtures("clock")  # an allowance of 3
async def test_routes_with_a_token_are_not_rate_limited_as_links(
    admin: httpx.AsyncClient,
) -> None:
    answers = [(await admin.get("/api/v1/templates")).status_code for _ in range(5)]

    assert answers == [200] * 5


def _headers_are_safe(answer: httpx.Response) -> str:
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    return policy


@pytest.mark.parametrize(
    "path", ["/api/v1/templates", "/api/v1/me", "/healthz", "/api/v1/openapi.json", "/nowhere"]
)
async def test_every_api_answer_carries_the_security_headers(app: FastAPI, path: str) -> None:
    async with client(app) as anonymous:
        answer = await anonymous.get(path)

    policy = _headers_are_safe(answer)
    script_sources = policy.split("script-src")[1].split(";")[0]
    assert script_sources.split() == ["'self'"], "no inline or foreign script may run"


async def test_the_api_docs_page_may_load_swagger_ui_and_nothing_may_frame_it(
    app: FastAPI,
) -> None:
    async with client(app) as browser:
        docs = await browser.get("/api/v1/docs")

    policy = _headers_are_safe(docs)
    assert "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net" in policy
    assert "https://cdn.jsdelivr.net" in docs.text, "the page loads Swagger UI from there"


@pytest.mark.skipif(not UI_BUILT, reason="the UI is not built (builder_ui/dist)")
async def test_the_ui_carries_the_security_headers(app: FastAPI) -> None:
    async with client(app) as browser:
        index = await browser.get("/")

    assert index.status_code == 200 and '<div id="root">' in index.text
    assert "default-src 'self'" in _headers_are_safe(index)


@pytest.mark.usefixtures("clock")  # a fresh allowance
async def test_a_page_behind_an_emailed_link_keeps_its_own_stricter_policy(app: FastAPI) -> None:
    async with client(app) as someone:
        page = await someone.get("/u/not-a-token")

    assert _headers_are_safe(page).startswith("default-src 'none'")
