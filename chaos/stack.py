"""The stack under chaos: every process on its own, so each can be SIGKILLed and restarted
alone (`boomerang dev` stops all its children when one dies, which is no chaos at all).

The embedded Temporal dev server exactly as `boomerang dev` starts it (`temporal_command`: a
persistent SQLite file in WAL mode, our search attributes), `boomerang migrate`, N x
`boomerang worker` (one process each) and M x `boomerang api` (one uvicorn process each, on
its own port). SQLite in the data dir by default, else the given database URL.
"""

import asyncio
import os
import secrets
import signal
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from engine.runtime.cli import wait_for_temporal
from engine.runtime.settings import Settings
from engine.runtime.supervisor import ProcessTree, python_command, temporal_command
from tests.e2e.stack import free_port

READY_TIMEOUT = 180.0  # a loaded host starts an API or Temporal in seconds; leave minutes
KINDS = ("temporal", "worker", "api")


@dataclass
class Secrets:
    """What the shop's platforms sign their webhooks with, and the admin token."""

    admin_token: str = field(default_factory=lambda: "chaos-" + secrets.token_hex(12))
    shopify: str = field(default_factory=lambda: "shpss_chaos_" + secrets.token_hex(16))
    woocommerce: str = field(default_factory=lambda: "wc-chaos-" + secrets.token_hex(16))


class ChaosStack:
    """Temporal, `workers` workers and `apis` APIs as separate children of this process."""

    def __init__(self, data_dir: Path, database_url: str | None, workers: int, apis: int) -> None:
        self.data_dir = data_dir
        self.secrets = Secrets()
        self.api_ports = [free_port() for _ in range(apis)]
        self.workers = workers
        temporal_port, temporal_ui_port = free_port(), free_port()
        database = database_url or f"sqlite:///{data_dir / 'boomerang.db'}"
        # Every setting a child reads is given here, so none leaks from the caller's shell.
        self.env = {
            "BOOMERANG_DATA_DIR": str(data_dir),
            "BOOMERANG_DATABASE_URL": database,
            "BOOMERANG_TEMPORAL_PORT": str(temporal_port),
            "BOOMERANG_TEMPORAL_UI_PORT": str(temporal_ui_port),
            "BOOMERANG_TEMPORAL_ADDRESS": f"127.0.0.1:{temporal_port}",
            "BOOMERANG_TEMPORAL_NAMESPACE": "default",
            "BOOMERANG_TASK_QUEUE": f"chaos-{uuid.uuid4()}",
            "BOOMERANG_API_TOKEN": self.secrets.admin_token,
            "BOOMERANG_EMAIL_TRANSPORT": "outbox",
            "BOOMERANG_LINK_SECRET": secrets.token_hex(16),
            "BOOMERANG_SHOPIFY_WEBHOOK_SECRET": self.secrets.shopify,
            "BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET": self.secrets.woocommerce,
            "BOOMERANG_FREQUENCY_CAP": "",
            # Shopify checkouts are carts that only idle detection abandons: soon, and often.
            "BOOMERANG_INACTIVITY_THRESHOLD": "20s",
            "BOOMERANG_ABANDONMENT_INTERVAL": "10s",
            "BOOMERANG_WORKER_PROCESSES": "1",
            "BOOMERANG_API_WORKERS": "1",
        }
        self.settings = Settings(
            data_dir=data_dir,
            database_url=database,
            temporal_port=temporal_port,
            temporal_ui_port=temporal_ui_port,  # the server's command line comes from here
            temporal_address=self.env["BOOMERANG_TEMPORAL_ADDRESS"],
            task_queue=self.env["BOOMERANG_TASK_QUEUE"],
            api_token=self.secrets.admin_token,
        )
        self.tree = ProcessTree()

    # -- names and addresses ----------------------------------------------------------------

    def names(self, kind: str) -> list[str]:
        count = {"temporal": 1, "worker": self.workers, "api": len(self.api_ports)}[kind]
        return ["temporal"] if kind == "temporal" else [f"{kind}-{n}" for n in range(count)]

    @property
    def all_names(self) -> list[str]:
        return [name for kind in KINDS for name in self.names(kind)]

    def api_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.api_ports[int(name.rpartition('-')[2])]}"

    def alive(self, name: str) -> bool:
        child = self.tree.children.get(name)
        return child is not None and child.poll() is None

    def live_apis(self) -> list[str]:
        return [name for name in self.names("api") if self.alive(name)]

    # -- starting, killing ---------------------------------------------------------------------

    def migrate(self) -> None:
        """`boomerang migrate`: the schema, the templates and the admin token."""
        with (self.data_dir / "migrate.log").open("ab") as log:
            subprocess.run(
                python_command("migrate"),
                env={**_without_settings(os.environ), **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
            )

    def start(self, name: str, wait: bool = True) -> None:
        """Start one process and wait until it is ready (Temporal, an API; `wait=False`: do
        not wait for an API); a worker is ready once started (it polls when it can)."""
        log = self.data_dir / f"{name}.log"
        if name == "temporal":
            self.tree.start(name, temporal_command(self.settings), log, env=self.env)
            asyncio.run(wait_for_temporal(self.settings))
            return
        env = self.env
        if name.startswith("api"):
            env = {**env, "BOOMERANG_PORT": str(self.api_ports[int(name.rpartition("-")[2])])}
        command = python_command("api" if name.startswith("api") else "worker")
        self.tree.start(name, command, log, env=env)
        if name.startswith("api") and wait:
            self._wait_for_api(name)

    def start_all(self) -> None:
        """Temporal first (the others connect to it), then the rest at once."""
        for name in self.all_names:
            self.start(name, wait=False)
        for name in self.names("api"):
            self._wait_for_api(name)

    def kill(self, name: str) -> None:
        """SIGKILL, and reap it."""
        child = self.tree.children[name]
        child.send_signal(signal.SIGKILL)
        child.wait()

    def stop_all(self) -> None:
        """Politely: SIGTERM to the APIs and workers at once, then to Temporal, as `boomerang
        dev` stops them (SIGKILL after a grace)."""
        for name, child in self.tree.children.items():
            if name != "temporal" and child.poll() is None:
                child.terminate()
        self.tree.stop()
        self.tree.children.clear()

    def restart_all(self) -> None:
        self.stop_all()
        self.tree = ProcessTree()
        self.start_all()

    def _wait_for_api(self, name: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive(name):
                raise RuntimeError(f"{name} exited while starting: see {self.data_dir}/{name}.log")
            try:
                with urllib.request.urlopen(f"{self.api_url(name)}/healthz", timeout=5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer in {READY_TIMEOUT:g} s")


def _without_settings(environment: os._Environ[str] | dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in environment.items() if not key.startswith("BOOMERANG_")}
