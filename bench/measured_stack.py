"""The stack a benchmark measures: what `boomerang dev` starts, in a temporary data dir on
free ports (the embedded Temporal dev server, the migrated SQLite database, `boomerang worker`
and `boomerang api`, each its own process), with one active `cart_abandoned` automation and an
ingest token; and the CPU each process used, read from /proc."""

import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.runtime.cli import wait_for_http, wait_for_temporal
from engine.runtime.settings import Settings
from engine.runtime.supervisor import ProcessTree, python_command, temporal_command
from engine.service.auth import Role, ensure_token
from engine.service.bootstrap import prepare
from engine.store.db import session_scope

SETTLE_SECONDS = 120
PROCESSES = ("temporal", "worker", "api", "client")
DEFINITION: dict[str, Any] = {
    "name": "Bench reminder",
    "trigger": {"event": "cart_abandoned"},
    "steps": [
        {"id": "wait-1", "type": "wait", "duration": "1h"},
        {"id": "email-1", "type": "action", "action": "send_email",
         "params": {"template": "cart-reminder"}},
    ],
}  # fmt: skip
INGEST_TOKEN = "bench-ingest-token"


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 - a benchmark reports on stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


# -- the stack ----------------------------------------------------------------------------


@dataclass
class Stack:
    settings: Settings
    automation_id: str
    tree: ProcessTree
    data_dir: Path

    @property
    def pids(self) -> dict[str, int]:
        """temporal, worker, api (as many as run)."""
        return {name: child.pid for name, child in self.tree.children.items()}

    def start(self) -> None:
        """Start every process on the stack's data dir (again, after `stop`)."""
        settings, logs = self.settings, self.data_dir
        self.tree.start("temporal", temporal_command(settings), logs / "temporal.log")
        asyncio.run(wait_for_temporal(settings))
        self.tree.start("worker", python_command("worker"), logs / "worker.log")
        self.tree.start("api", python_command("api"), logs / "api.log")
        wait_for_http(f"http://127.0.0.1:{settings.port}/healthz", self.tree)

    def stop(self) -> None:
        """Stop every process, the way `boomerang dev` stops them."""
        self.tree.stop()
        self.tree.children.clear()


@contextmanager
def running_stack(
    keep: bool, definition: dict[str, Any] | None = DEFINITION, env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """The stack with one active automation (`definition`; None: none); `env` adds or
    overrides `BOOMERANG_*` settings."""
    data_dir = Path(tempfile.mkdtemp(prefix="boomerang-bench-"))
    env = {
        "BOOMERANG_DATA_DIR": str(data_dir),
        "BOOMERANG_PORT": str(_free_port()),
        "BOOMERANG_TEMPORAL_PORT": str(_free_port()),
        "BOOMERANG_TEMPORAL_UI_PORT": str(_free_port()),
        "BOOMERANG_API_TOKEN": "bench-admin-" + secrets.token_hex(8),
        "BOOMERANG_TASK_QUEUE": "bench",
        "BOOMERANG_ABANDONMENT_INTERVAL": "1h",  # no schedule run during the measurement
        "BOOMERANG_LINK_SECRET": secrets.token_hex(16),
        **(env or {}),
    }
    for name in [name for name in os.environ if name.startswith("BOOMERANG_")]:
        del os.environ[name]  # only this run's settings reach the children
    os.environ.update(env)
    settings = Settings()
    stack = Stack(settings, "", ProcessTree(), data_dir)
    try:
        prepare(settings)
        stack.start()
        with session_scope(settings.resolved_database_url) as session:
            ensure_token(session, INGEST_TOKEN, name="bench ingest", role=Role.ingest)
        if definition is not None:
            stack.automation_id = create_automation(settings, definition)
        yield stack
    finally:
        stack.stop()
        if keep:
            say(f"\n(data and logs kept in {data_dir})")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def api_post(settings: Settings, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to the API as the admin; the JSON answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{settings.port}/api/v1{path}",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {settings.api_token}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
        return answer


def create_automation(settings: Settings, definition: dict[str, Any]) -> str:
    """One active automation, created through the API."""
    body = {"name": definition["name"], "definition": definition, "active": True}
    created = api_post(settings, "/automations", body)
    if created.get("status") != "active":
        api_post(settings, f"/automations/{created['id']}/activate", {})
    automation_id: str = created["id"]
    return automation_id


def with_descendants(pid: int) -> list[int]:
    """The process and its descendants (several uvicorn workers under `boomerang api`), from
    /proc/<pid>/task/*/children (Linux)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in children.read_text().split()]
            except OSError:
                continue  # the thread or the process ended meanwhile
    return found


def _cpu_of(pid: int, with_reaped_children: bool) -> float:
    """utime + stime of one process, in ticks; with its children that ended and were waited
    for (cutime + cstime), so a worker that exits keeps counting in its parent's figure."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0
    used = int(fields[11]) + int(fields[12])
    if with_reaped_children:
        used += int(fields[13]) + int(fields[14])
    return used


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) each process and its descendants used so far, from /proc
    (Linux); this process is `client` (alone: the stack's processes are its children)."""
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for name, pid in pids.items():
        if Path(f"/proc/{pid}").exists():
            used[name] = sum(_cpu_of(member, True) for member in with_descendants(pid)) / ticks
    used["client"] = _cpu_of(os.getpid(), False) / ticks
    return used


def cpu_since(pids: dict[str, int], before: dict[str, float]) -> dict[str, float]:
    """CPU seconds each process used since `before` (an earlier `cpu_seconds`)."""
    return {name: used - before.get(name, 0) for name, used in cpu_seconds(pids).items()}


def _resident_kib(pid: int, field: str) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return None


def memory_mib(pids: dict[str, int], field: str = "VmRSS") -> dict[str, float]:
    """Resident memory (RSS) of each process and its descendants, summed, in MiB, from /proc
    (Linux); this process is `client`, alone. (Pages that processes share, such as libraries,
    count once per process.) `field="VmHWM"` sums their peaks instead."""
    resident = {}
    for name, pid in pids.items():
        members = [
            kib
            for member in with_descendants(pid)
            if (kib := _resident_kib(member, field)) is not None
        ]
        if members:
            resident[name] = sum(members) / 1024
    if (own := _resident_kib(os.getpid(), field)) is not None:
        resident["client"] = own / 1024
    return resident


@contextmanager
def profiled(pid: int, output: Path | None) -> Iterator[None]:
    """Sample the process and its children with py-spy (a dev dependency) while the block runs:
    a flame graph (.svg), speedscope (.json) or collapsed stacks (.txt); nothing without
    `output`. Keep them out of git."""
    if output is None:
        yield
        return
    beside_python = Path(sys.executable).parent / "py-spy"
    spy = str(beside_python) if beside_python.is_file() else shutil.which("py-spy")
    if spy is None:
        raise SystemExit("bench: --profile needs py-spy (make setup installs it)")
    output.parent.mkdir(parents=True, exist_ok=True)
    kind = {".txt": "raw", ".json": "speedscope"}.get(output.suffix, "flamegraph")
    command = [spy, "record", "--pid", str(pid), "--subprocesses", "--rate", "250"]
    command += ["--format", kind, "--output", str(output)]
    recorder = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        recorder.send_signal(signal.SIGINT)  # py-spy writes the graph when interrupted
        recorder.wait(timeout=60)
        say(f"(flame graph of pid {pid}: {output})")


async def settle(stack: Stack) -> None:
    """Wait until the worker and Temporal are idle: every journey started so far has had
    its first workflow task (they then sleep for an hour)."""
    deadline = time.monotonic() + SETTLE_SECONDS
    busy = {name: stack.pids[name] for name in ("temporal", "worker")}
    quiet_for = 0
    before = cpu_seconds(busy)
    while quiet_for < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = cpu_seconds(busy)
        used = sum(now.get(name, 0) - before.get(name, 0) for name in busy)
        quiet_for = quiet_for + 1 if used < 0.05 else 0  # under a tenth of a core
        before = now
