"""End to end through `boomerang dev`: real Temporal, worker, API, SQLite; killed, restarted."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.support import CART_ABANDONED, CART_RECOVERED, automation, cart_event

T = TypeVar("T")
BOOMERANG = Path(sys.executable).parent / "boomerang"
TOKEN = "e2e-admin-token"
START_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for(probe: Callable[[], T], until: Callable[[T], bool], timeout: float = 60.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        answer = probe()
        if until(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {timeout}s: {answer!r}")
        time.sleep(0.25)


class DevStack:
    """`boomerang dev` in its own process group, on free ports and a private data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        self.env = {
            **os.environ,
            "BOOMERANG_DATA_DIR": str(data_dir),
            "BOOMERANG_PORT": str(self.port),
            "BOOMERANG_TEMPORAL_PORT": str(_free_port()),
            "BOOMERANG_TEMPORAL_UI_PORT": str(_free_port()),
            "BOOMERANG_API_TOKEN": TOKEN,
        }
        self.env.pop("BOOMERANG_DATABASE_URL", None)
        self.env.pop("BOOMERANG_TEMPORAL_ADDRESS", None)
        self.log = data_dir / "dev.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}",
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=10,
        )

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BOOMERANG), "dev"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_for(self._health, lambda code: code == 200, timeout=START_TIMEOUT)

    def _health(self) -> int:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"boomerang dev exited:\n{self.log.read_text()[-3000:]}")
        try:
            return self.http.get("/healthz").status_code
        except httpx.TransportError:
            return 0

    def signal_tree(self, signum: int) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signum)

    def wait_until_gone(self) -> int:
        """Wait for the dev process and every process of its group to be gone."""
        assert self.process is not None
        code = self.process.wait(timeout=60)
        _wait_for(lambda: _group_alive(self.process.pid), lambda alive: not alive)  # type: ignore[union-attr]
        return code

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json=body)
        assert response.status_code in (201, 202), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def outbox(self, to: str) -> list[dict[str, Any]]:
        response = self.http.get("/api/v1/outbox", params={"to": to})
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages

    def journeys(self, cart_id: str) -> list[dict[str, Any]]:
        response = self.http.get("/api/v1/journeys", params={"cart_id": cart_id})
        response.raise_for_status()
        journeys: list[dict[str, Any]] = response.json()
        return journeys


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    stack = DevStack(tmp_path)
    yield stack
    stack.http.close()
    if stack.process is not None and _group_alive(stack.process.pid):
        stack.signal_tree(signal.SIGKILL)
        stack.process.wait()


def _completed(journeys: list[dict[str, Any]]) -> bool:
    return len(journeys) == 1 and journeys[0]["status"] == "completed"


def test_recovery_emails_survive_a_killed_stack_and_go_out_exactly_once(stack: DevStack) -> None:
    stack.start()
    stack.post("/api/v1/automations", automation(wait="2s"))

    # The reference cart gets its one reminder after the wait.
    stack.post("/api/v1/events", CART_ABANDONED)
    [jane] = _wait_for(lambda: stack.outbox("jane@example.com"), lambda found: len(found) == 1)
    assert "Premium Headphones" in jane["html"]
    assert _wait_for(lambda: stack.journeys("cart_abc123"), _completed)[0]["outcome"] == "completed"

    # A cart recovered before its wait ends gets nothing.
    stack.post("/api/v1/events", cart_event(CART_ABANDONED, "cart_two", "two@example.com"))
    stack.post("/api/v1/events", cart_event(CART_RECOVERED, "cart_two", "two@example.com"))
    [journey] = _wait_for(lambda: stack.journeys("cart_two"), _completed)
    assert journey["outcome"] == "recovered"

    # SIGKILL the whole tree during a wait; the restarted stack sends the email once.
    stack.post("/api/v1/events", cart_event(CART_ABANDONED, "cart_three", "three@example.com"))
    stack.signal_tree(signal.SIGKILL)
    stack.wait_until_gone()
    assert stack.process is not None
    stack.start()
    _wait_for(lambda: stack.journeys("cart_three"), _completed)
    assert len(stack.outbox("three@example.com")) == 1
    assert stack.outbox("two@example.com") == []
    assert len(stack.outbox("jane@example.com")) == 1, "the restart re-sent nothing"

    # SIGTERM stops every process of the tree.
    stack.signal_tree(signal.SIGTERM)
    assert stack.wait_until_gone() == 0
