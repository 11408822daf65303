"""`BOOMERANG_API_WORKERS`: how many API processes serve the port."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from bench.measured_stack import with_descendants
from engine.runtime import cli
from engine.runtime.settings import Settings, default_api_workers


@pytest.mark.parametrize(
    ("cores", "workers"), [(None, 1), (1, 1), (2, 1), (3, 1), (4, 2), (6, 3), (8, 4), (64, 4)]
)
def test_by_default_one_api_process_per_two_cores(cores: int | None, workers: int) -> None:
    assert default_api_workers(cores) == workers


def test_the_setting_comes_from_the_environment_and_is_at_least_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOOMERANG_API_WORKERS", "3")
    assert Settings().api_workers == 3

    monkeypatch.setenv("BOOMERANG_API_WORKERS", "0")
    with pytest.raises(ValueError, match="api_workers"):
        Settings()


def test_one_api_process_is_uvicorn_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setattr(os, "execv", _never)

    assert cli.api(Settings(api_workers=1, port=8123)) == 0

    [(args, kwargs)] = calls
    assert args == ("builder_api.main:create_app",)
    assert (kwargs["factory"], kwargs["port"]) == (True, 8123)


def test_several_are_a_bare_uvicorn_in_its_place_with_that_many_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    calls: list[tuple[str, list[str]]] = []

    def execv(path: str, argv: list[str]) -> None:
        calls.append((path, argv))
        raise _Replaced  # exec never returns

    monkeypatch.setattr(os, "execv", execv)
    monkeypatch.setattr(uvicorn, "run", _never)

    with pytest.raises(_Replaced):
        cli.api(Settings(api_workers=3, host="0.0.0.0", port=8123))

    [(path, argv)] = calls
    assert path == argv[0] == sys.executable
    assert argv[1:] == [
        "-m", "uvicorn", "builder_api.main:create_app", "--factory",
        "--host", "0.0.0.0", "--port", "8123", "--workers", "3", "--log-level", "warning",
    ]  # fmt: skip


class _Replaced(Exception):
    pass


def _never(*_args: Any, **_kwargs: Any) -> None:
    raise AssertionError("not this way")


def test_two_api_processes_serve_one_port_and_stop_together(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BOOMERANG_")},
        "BOOMERANG_DATA_DIR": str(tmp_path),
        "BOOMERANG_PORT": str(port),
        "BOOMERANG_API_WORKERS": "2",
    }
    api = subprocess.Popen(
        [sys.executable, "-m", "engine.runtime.cli", "api"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        document = _when_up(f"http://127.0.0.1:{port}/api/v1/openapi.json", api)
        assert document["info"]["title"] == "Boomerang"
        deadline = time.monotonic() + 30
        while len(with_descendants(api.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
        family = with_descendants(api.pid)
        assert len(family) >= 3  # uvicorn's supervisor and its two workers
    finally:
        api.terminate()
        api.wait(timeout=30)
    deadline = time.monotonic() + 30
    while any(_running(pid) for pid in family[1:]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in family[1:] if _running(pid)] == []


def _running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def _when_up(url: str, process: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "the API exited"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return json.load(answer)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
