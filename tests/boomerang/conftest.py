"""The clients against the stack of tests/builder_api (a real database, a real Temporal dev
server, a running worker), each test once with `AsyncBoomerang` and once with `Boomerang`.

`Boomerang` blocks, so its calls run in a thread (`Blocking`) while the app, the worker and
the Temporal clients stay on the test's event loop (`LoopTransport`), which keeps running.
(Starlette's TestClient, which would run the app on a loop of its own, is moving from httpx
to httpx2.)"""

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from boomerang.client import AsyncBoomerang, Boomerang
from builder_api.main import create_app
from engine.runtime.settings import Settings
from tests.builder_api.conftest import Api
from tests.builder_api.conftest import api as api  # the stack itself, shared
from tests.conftest import ADMIN_TOKEN

BASE_URL = "http://boomerang.test"
SIGNING_SECRET = "whsec-client-0123456789abcdef"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Shops may sign their events with SIGNING_SECRET."""
    return settings.model_copy(update={"ingest_signing_secret": SecretStr(SIGNING_SECRET)})


class Blocking:
    """A `Boomerang` whose every method is awaited from a worker thread."""

    def __init__(self, client: Boomerang) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await asyncio.to_thread(method, *args, **kwargs)

        return call


# connect(token=..., signing_secret=...) -> a client whose methods are awaited
Connect = Callable[..., Any]


class LoopTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Carries requests from other threads (a blocking client, or an async one on a loop of
    its own) to an ASGI app served on `loop`: the test's own, which the worker and the app's
    Temporal client belong to."""

    def __init__(self, app: FastAPI, loop: asyncio.AbstractEventLoop) -> None:
        self._app = httpx.ASGITransport(app=app)
        self._loop = loop

    def _on_the_loop(self, request: httpx.Request) -> "Future[httpx.Response]":
        async def answer() -> httpx.Response:
            response = await self._app.handle_async_request(request)
            content = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return asyncio.run_coroutine_threadsafe(answer(), self._loop)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._on_the_loop(request).result()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await asyncio.wrap_future(self._on_the_loop(request))


@pytest.fixture(params=["async", "sync"])
async def connect(request: pytest.FixtureRequest, api: Api) -> AsyncIterator[Connect]:
    """Clients of one kind, each with its own credentials (the admin token by default), all
    talking to one app over the settings of `api`."""
    app = create_app(api.settings)
    if request.param == "async":
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as http:

            def connect_async(token: str | None = ADMIN_TOKEN, **options: Any) -> AsyncBoomerang:
                return AsyncBoomerang(BASE_URL, token, http=http, **options)

            yield connect_async
    else:
        transport = LoopTransport(app, asyncio.get_running_loop())
        with httpx.Client(transport=transport) as blocking_http:

            def connect_sync(token: str | None = ADMIN_TOKEN, **options: Any) -> Blocking:
                return Blocking(Boomerang(BASE_URL, token, http=blocking_http, **options))

            yield connect_sync
