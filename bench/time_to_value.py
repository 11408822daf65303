"""`make bench`: time to value — from a fresh `boomerang dev` to an active three-email sequence.

What a new user does after `make run`, timed and counted:

1. Launch: `boomerang dev` (what `make run` runs once set up) in a fresh temporary data dir on
   free ports, no token configured; timed until the UI answers at `/`. The admin token is the
   one it prints (and keeps in the data dir).
2. In headless Chromium (Debian's, as in tests/ui): sign in with that token, open the preset
   gallery, install the three-step sequence, activate it. Every `click()` the script makes is
   counted (typing the token is not a click); timed from opening the UI until the API reports
   the installed automation active.

The click path is `CLICK_PATH` below: adjust it when the pages change. A step whose control
is not on the page fails with its name and a screenshot. Prints Markdown (docs/BENCHMARKS.md
keeps a run); nothing is asserted beyond the automation being active at the end.
"""

import argparse
import os
import platform
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

import httpx
from playwright.sync_api import Locator, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from engine.language.presets import THREE_STEP
from tests.e2e.stack import free_port
from tests.ui.browser import UI_INDEX, VIEWPORT, launch_options

BOOMERANG = Path(sys.executable).parent / "boomerang"
TOKEN_LINE = "Admin token"


@dataclass(frozen=True)
class Click:
    """One click of the path: what a user reads on the control, and how to find it."""

    label: str
    role: Literal["link", "button"]
    name: str  # the control's accessible name (exact)
    within: str | None = None  # a landmark's accessible name, e.g. the "Main" navigation


CLICK_PATH = (
    Click("nav: Presets", "link", "Presets", within="Main"),
    Click(f"Install {THREE_STEP.name}", "button", f"Install {THREE_STEP.name}"),
    Click("Activate now", "button", "Activate now"),
)


def say(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201 - a benchmark reports on stdout


@dataclass
class Run:
    launch_to_ui: float = 0.0
    sign_in_to_active: float = 0.0
    clicks: list[str] = field(default_factory=list)


@dataclass
class DevProcess:
    process: subprocess.Popen[str]
    url: str
    data_dir: Path
    lines: "queue.Queue[str]"
    log: list[str]

    def admin_token(self, timeout: float) -> str:
        """The token `boomerang dev` prints once it is ready (also kept in the data dir)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                self._check_alive()
                continue
            if line.strip().startswith(TOKEN_LINE):
                return line.split(TOKEN_LINE, 1)[1].strip()
        kept = self.data_dir / "admin-token"
        if kept.is_file():
            return kept.read_text().strip()
        raise SystemExit(f"boomerang dev printed no admin token:\n{''.join(self.log)[-3000:]}")

    def _check_alive(self) -> None:
        if self.process.poll() is not None:
            raise SystemExit(f"boomerang dev exited:\n{''.join(self.log)[-3000:]}")

    def wait_for_ui(self, timeout: float) -> None:
        """Until `/` serves the built UI."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                answer = httpx.get(f"{self.url}/", timeout=2)
                if answer.status_code == 200 and "<div id=" in answer.text:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"the UI did not answer at {self.url}/ within {timeout:g} s")


def _drain(stream: IO[str], lines: "queue.Queue[str]", log: list[str]) -> None:
    """Read the child's output as it comes, so a full pipe never blocks it."""
    for line in stream:
        log.append(line)
        lines.put(line)


@contextmanager
def dev_stack(data_dir: Path) -> Iterator[DevProcess]:
    """`boomerang dev` on free ports, as `make run` starts it; its process tree is stopped
    (SIGTERM, then SIGKILL) on the way out."""
    port = free_port()
    env = {
        **os.environ,
        "BOOMERANG_DATA_DIR": str(data_dir),
        "BOOMERANG_PORT": str(port),
        "BOOMERANG_TEMPORAL_PORT": str(free_port()),
        "BOOMERANG_TEMPORAL_UI_PORT": str(free_port()),
    }
    for configured in (
        "BOOMERANG_API_TOKEN",
        "BOOMERANG_DATABASE_URL",
        "BOOMERANG_TEMPORAL_ADDRESS",
    ):
        env.pop(configured, None)
    process = subprocess.Popen(
        [str(BOOMERANG), "dev"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    log: list[str] = []
    threading.Thread(target=_drain, args=(process.stdout, lines, log), daemon=True).start()
    try:
        yield DevProcess(process, f"http://127.0.0.1:{port}", data_dir, lines, log)
    finally:
        _stop_tree(process)


def _stop_tree(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _control(page: Page, click: Click) -> Locator:
    scope: Page | Locator = page
    if click.within is not None:
        scope = page.get_by_role("navigation", name=click.within)
    return scope.get_by_role(click.role, name=click.name, exact=True)


def _click(page: Page, click: Click, run: Run, timeout_ms: float) -> None:
    """Click `click`'s control once it is there (counted); fail naming it otherwise."""
    control = _control(page, click)
    try:
        control.click(timeout=timeout_ms)
    except PlaywrightTimeout:
        shot = Path(tempfile.gettempdir()) / f"boomerang-ttv-step-{len(run.clicks) + 1}.png"
        page.screenshot(path=str(shot))
        raise SystemExit(
            f"step {len(run.clicks) + 1} of the click path: no {click.role} named "
            f"{click.name!r} on {page.url} after {timeout_ms / 1000:g} s (screenshot: {shot}). "
            "Is that page built yet? Otherwise adjust CLICK_PATH in bench/time_to_value.py."
        ) from None
    run.clicks.append(click.label)


def _installed_and_active(stack: DevProcess, token: str) -> dict[str, Any] | None:
    answer = httpx.get(
        f"{stack.url}/api/v1/automations",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    answer.raise_for_status()
    for automation in answer.json():
        if automation["preset"] == THREE_STEP.key and automation["status"] == "active":
            found: dict[str, Any] = automation
            return found
    return None


def _wait_until_active(stack: DevProcess, token: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _installed_and_active(stack, token)
        if found is not None:
            return found
        time.sleep(0.1)
    raise SystemExit(
        f"no active automation from preset {THREE_STEP.key!r} {timeout:g} s after the last click"
    )


def measure(args: argparse.Namespace, data_dir: Path) -> Run:
    run = Run()
    timeout_ms = args.timeout * 1000
    launched = time.monotonic()
    with dev_stack(data_dir) as stack:
        stack.wait_for_ui(args.start_timeout)
        run.launch_to_ui = time.monotonic() - launched
        say(f"launch → the UI answers: {run.launch_to_ui:.1f} s")
        token = stack.admin_token(args.start_timeout)

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch_options())
            page = browser.new_page(base_url=stack.url, viewport=VIEWPORT)
            started = time.monotonic()
            page.goto("/")
            page.get_by_label("API token").fill(token, timeout=timeout_ms)
            _click(page, Click("Sign in", "button", "Sign in"), run, timeout_ms)
            for click in CLICK_PATH:
                _click(page, click, run, timeout_ms)
            automation = _wait_until_active(stack, token, args.timeout)
            run.sign_in_to_active = time.monotonic() - started
            browser.close()
    say(f"active: {automation['name']} ({automation['id']}), version {automation['version']}")
    return run


def report(run: Run) -> None:
    chromium = subprocess.run(
        [launch_options()["executable_path"], "--version"], capture_output=True, text=True
    ).stdout.strip()
    say()
    say(
        f"{datetime.now(UTC):%Y-%m-%d}; Python {platform.python_version()}, {chromium}, "
        f"{os.cpu_count()} cores"
    )
    say()
    say("| from a fresh `boomerang dev` to an active three-email sequence | |")
    say("| --- | ---: |")
    say(f"| launch → the UI answers | {run.launch_to_ui:.1f} s |")
    say(f"| sign-in → the automation is active | {run.sign_in_to_active:.1f} s |")
    say(f"| total | {run.launch_to_ui + run.sign_in_to_active:.1f} s |")
    say(f"| clicks (goal ≤ 5) | {len(run.clicks)}: {', '.join(run.clicks)} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=20, help="seconds per click step")
    parser.add_argument("--start-timeout", type=float, default=180, help="seconds to start")
    args = parser.parse_args(argv)
    if not UI_INDEX.is_file():
        raise SystemExit(
            f"{UI_INDEX} is missing: `make setup` (or `cd builder_ui && npm run build`)"
        )
    if not Path(launch_options()["executable_path"]).is_file():
        raise SystemExit("Chromium is missing: `apt-get install -y chromium`")
    with tempfile.TemporaryDirectory(prefix="boomerang-ttv-") as data_dir:
        run = measure(args, Path(data_dir))
    report(run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
