"""`boomerang dev` driven from a test: start it, signal its process tree, talk to its API."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

T = TypeVar("T")
BOOMERANG = Path(sys.executable).parent / "boomerang"
TOKEN = "e2e-admin-token"
START_TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(probe: Callable[[], T], until: Callable[[T], bool], timeout: float = 60.0) -> T:
    """Poll `probe` until its answer satisfies `until`; fail with the last answer otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        answer = probe()
        if until(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"still not there after {timeout}s: {answer!r}")
        time.sleep(0.25)


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (which may hold spaces):
    state, parent pid, ..."""
    return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()


def gone(pid: int) -> bool:
    """True once the process has exited (a zombie its parent has not reaped counts as gone)."""
    try:
        return _stat(pid)[0] == "Z"
    except FileNotFoundError:
        return True


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


class DevStack:
    """`boomerang dev` in its own process group, on free ports and a private data dir.

    `start()` may be called again after the tree is gone: same data dir, same ports.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.temporal_port = free_port()
        self.env = {
            **os.environ,
            "BOOMERANG_DATA_DIR": str(data_dir),
            "BOOMERANG_PORT": str(self.port),
            "BOOMERANG_TEMPORAL_PORT": str(self.temporal_port),
            "BOOMERANG_TEMPORAL_UI_PORT": str(free_port()),
            "BOOMERANG_API_TOKEN": TOKEN,
        }
        self.env.pop("BOOMERANG_DATABASE_URL", None)
        self.env.pop("BOOMERANG_TEMPORAL_ADDRESS", None)
        self.log = data_dir / "dev.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(
            base_url=f"http://127.0.0.1:{self.port}",
            headers={"Authorization": f"Bearer {TOKEN}"},
            # A batch of events starts dozens of journeys: about a second idle, several on a
            # loaded host; a hung stack still fails the test.
            timeout=60,
        )

    @property
    def database(self) -> Path:
        """The SQLite file `boomerang dev` uses when no database URL is set."""
        return self.data_dir / "boomerang.db"

    @property
    def temporal_address(self) -> str:
        return f"127.0.0.1:{self.temporal_port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BOOMERANG), "dev"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._health, lambda code: code == 200, timeout=START_TIMEOUT)

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

    def freeze_supervisor(self) -> None:
        """SIGSTOP the `boomerang dev` process alone: it no longer stops the other children
        when one dies, so each can be killed on its own (SIGKILL of the tree still works)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def children(self) -> dict[str, int]:
        """The pids of `boomerang dev`'s children by role: `temporal`, `worker`, `api`."""
        assert self.process is not None
        found: dict[str, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                parent = int(_stat(entry.name)[1])
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            if parent != self.process.pid:
                continue
            if b"start-dev" in argv:
                found["temporal"] = int(entry.name)
            elif (
                b"engine.runtime.cli" in argv and len(argv) > argv.index(b"engine.runtime.cli") + 1
            ):
                found[argv[argv.index(b"engine.runtime.cli") + 1].decode()] = int(entry.name)
        return found

    def wait_until_gone(self) -> int:
        """Wait for the dev process and every process of its group to be gone."""
        process = self.process
        assert process is not None
        code = process.wait(timeout=60)
        wait_for(lambda: group_alive(process.pid), lambda alive: not alive)
        return code

    def stop_for_good(self) -> None:
        """SIGKILL whatever is left of the tree (test teardown)."""
        self.http.close()
        if self.process is not None and group_alive(self.process.pid):
            self.signal_tree(signal.SIGKILL)
            self.process.wait()

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json=body)
        assert response.status_code in (201, 202), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def outbox(self, to: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {"limit": 500}
        if to is not None:
            params["to"] = to
        response = self.http.get("/api/v1/outbox", params=params)
        response.raise_for_status()
        messages: list[dict[str, Any]] = response.json()
        return messages

    def journeys(self, cart_id: str) -> list[dict[str, Any]]:
        response = self.http.get("/api/v1/journeys", params={"cart_id": cart_id})
        response.raise_for_status()
        journeys: list[dict[str, Any]] = response.json()
        return journeys
