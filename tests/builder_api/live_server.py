"""The API as outside clients meet it: uvicorn serving `create_app` on a free loopback port,
with a worker, against a migrated SQLite file and the session's Temporal dev server.

Both run in a thread of their own with its own event loop: tests that drive the API over
real HTTP (schemathesis' `requests` calls) block their own thread while they wait."""

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn
from temporalio.client import Client

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service.payload_codec import DATA_CONVERTER

# Far beyond what starting takes idle (well under a second): the host may be busy.
STARTUP_TIMEOUT_S = 60


@dataclass(frozen=True)
class LiveApi:
    url: str
    settings: Settings


@contextmanager
def serve(settings: Settings) -> Iterator[LiveApi]:
    """Serve the API until the block ends; `settings` name a prepared database and the
    Temporal server to use."""
    # IPPROTO_TCP spelled out: asyncio turns Nagle's algorithm off only on sockets that say
    # TCP, and with it on every keep-alive answer waits ~40 ms for the client's delayed ACK.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), log_level="warning", lifespan="off")
    )
    failure: list[BaseException] = []

    async def run() -> None:
        assert settings.temporal_address is not None
        client = await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            data_converter=DATA_CONVERTER,
        )
        async with build_worker(client, settings):
            await server.serve(sockets=[listener])

    def thread_main() -> None:
        try:
            asyncio.run(run())
        except BaseException as error:  # reported by the waiting test, not lost in a thread
            failure.append(error)

    thread = threading.Thread(target=thread_main, name="live-api", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start: {failure or 'no error reported'}")
            time.sleep(0.05)
        yield LiveApi(url=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT_S)
        listener.close()
