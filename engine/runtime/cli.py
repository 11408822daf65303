"""The `boomerang` command: `dev` (everything, one process tree), `api`, `worker`, `migrate`,
`simulate` (engine.runtime.simulate)."""

import argparse
import asyncio
import os
import signal
import sys
import time
import urllib.request
from collections.abc import Callable

from engine.runtime import simulate
from engine.runtime.settings import Settings
from engine.runtime.supervisor import ProcessTree, python_command, temporal_command
from engine.service.bootstrap import prepare, prepare_for_dev
from engine.service.temporal import connect, register_search_attributes

READY_TIMEOUT_SECONDS = 90
# What each of several worker processes is told, so it runs the worker itself.
ONE_WORKER_PROCESS = {"BOOMERANG_WORKER_PROCESSES": "1"}


def say(message: str) -> None:
    print(message, flush=True)  # noqa: T201 - a command line speaks on stdout


def dev(settings: Settings) -> int:
    """Start embedded Temporal (unless an address is set), migrate, then the worker and API."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tree = ProcessTree()
    tree.handle_signals()
    try:
        if not settings.temporal_address:
            say(f"boomerang: starting Temporal (data in {settings.data_dir / 'temporal.db'})")
            tree.start("temporal", temporal_command(settings), settings.data_dir / "temporal.log")
        token = prepare_for_dev(settings)
        asyncio.run(wait_for_temporal(settings))
        tree.start("worker", python_command("worker"))
        tree.start("api", python_command("api"))
        api = f"http://{settings.host}:{settings.port}"
        wait_for_http(f"{api}/healthz", tree)
    except KeyboardInterrupt:
        say("boomerang: interrupted while starting; stopping")
        tree.stop()
        return 130
    except BaseException:
        tree.stop()
        raise
    # A generated token is shown so whoever started the stack can sign in (it is also kept in
    # the data dir); a configured one is theirs already and stays out of the output and logs.
    shown_token = "(BOOMERANG_API_TOKEN)" if settings.api_token else token
    temporal_ui = (
        f"http://127.0.0.1:{settings.temporal_ui_port}"
        if not settings.temporal_address
        else "(external Temporal)"
    )
    say(
        "\nBoomerang is running.\n"
        f"  UI           {api}/\n"
        f"  API          {api}/api/v1  (OpenAPI: {api}/api/v1/openapi.json)\n"
        f"  Health       {api}/healthz\n"
        f"  Temporal UI  {temporal_ui}\n"
        f"  Admin token  {shown_token}\n"
        "Press Ctrl-C to stop.\n"
    )
    return tree.watch()


async def wait_for_temporal(settings: Settings) -> None:
    """Until the Temporal server answers and has our search attributes (or SystemExit)."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        try:
            client = await connect(settings)
            await client.service_client.check_health()
            await register_search_attributes(client)
            return
        except Exception as error:
            if time.monotonic() > deadline:
                address = settings.resolved_temporal_address
                raise SystemExit(f"Temporal at {address} did not answer: {error}") from error
            await asyncio.sleep(0.5)


def wait_for_http(url: str, tree: ProcessTree) -> None:
    """Until `url` answers; SystemExit when a process of the tree died or time ran out."""
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in tree.children.values()):
            raise SystemExit("boomerang: a process exited while starting (see its output)")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"boomerang: the API did not answer at {url}")


def api(settings: Settings) -> int:
    """Serve the API and the UI."""
    # By import string, so the core never imports the HTTP face, and each of several API
    # processes imports the app itself.
    app = "builder_api.main:create_app"
    if settings.api_workers > 1:
        # uvicorn's supervisor only starts, watches and stops its workers: a bare uvicorn takes
        # this process's place (same pid, so signals and the parent-death signal still reach
        # it) without the ~70 MB of modules this command line imported.
        os.execv(
            sys.executable,
            [
                sys.executable, "-m", "uvicorn", app, "--factory",
                "--host", settings.host, "--port", str(settings.port),
                "--workers", str(settings.api_workers), "--log-level", "warning",
            ],
        )  # fmt: skip
    import uvicorn

    uvicorn.run(app, factory=True, host=settings.host, port=settings.port, log_level="warning")
    return 0


def worker(settings: Settings) -> int:
    """Run journeys, actions and abandonment detection until SIGTERM or Ctrl-C."""
    if settings.worker_processes > 1:
        return _worker_processes(settings.worker_processes)
    from engine.language.definition import format_duration
    from engine.runtime.worker import build_worker
    from engine.service import retention
    from engine.service.idle_carts import ensure_schedule
    from engine.service.simulation import start_processes

    start_processes()  # before the worker's threads; its imports run beside the start below

    async def run() -> None:
        client = await connect(settings)
        await register_search_attributes(client)
        schedule = await ensure_schedule(client, settings)
        every = format_duration(settings.abandonment_interval)
        say(f"boomerang: abandonment schedule {schedule} (every {every})")
        schedule = await retention.ensure_schedule(client, settings)
        every = format_duration(settings.retention_interval)
        say(f"boomerang: retention schedule {schedule} (every {every})")
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        async with build_worker(client, settings):
            say(f"boomerang: worker polling task queue {settings.task_queue!r}")
            await stop.wait()

    asyncio.run(run())
    return 0


def _worker_processes(count: int) -> int:
    """`count` worker processes on the same task queue: Temporal spreads the journeys among
    them, and each holds a core (the GIL keeps one process to one)."""
    tree = ProcessTree()
    tree.handle_signals()
    for number in range(1, count + 1):
        tree.start(f"worker {number}", python_command("worker"), env=ONE_WORKER_PROCESS)
    say(f"boomerang: {count} worker processes")
    return tree.watch()


def migrate(settings: Settings) -> int:
    """Bring the database schema up to date and install the first-start presets."""
    prepare(settings)
    say("boomerang: the database is up to date")
    return 0


def shopify_connect(settings: Settings) -> int:
    """Subscribe Boomerang to the shop's webhooks (BOOMERANG_SHOPIFY_*, BOOMERANG_PUBLIC_URL)."""
    # Imported here: the Admin API library is for this command only.
    from engine.platforms.shopify import PRIVACY_TOPICS
    from engine.service import shopify_webhooks
    from engine.service.shopify_admin import TIMEOUT, ShopifyAdminError

    if settings.public_url is None:
        say("boomerang shopify connect: set BOOMERANG_PUBLIC_URL to the https:// address at "
            "which Shopify reaches this Boomerang")  # fmt: skip
        return 2
    try:
        connected = shopify_webhooks.connect(settings)
    except ShopifyAdminError as error:
        say(f"boomerang shopify connect: {error}")
        return 1
    except TimeoutError:
        say(f"boomerang shopify connect: the shop's Admin API did not answer in {TIMEOUT:g} s")
        return 1
    say(f"Shopify webhooks to {connected.callback_url}")
    for topic in connected.registered:
        say(f"  registered      {topic}")
    for topic in connected.existing:
        say(f"  already there   {topic}")
    for topic, reason in connected.failed:
        say(f"  failed          {topic}: {reason}")
    say(f"Shopify's privacy topics ({', '.join(PRIVACY_TOPICS)}) cannot be "
        "subscribed through the Admin API: set them in the app's configuration to the same "
        "address (`compliance_topics` in shopify.app.toml, or the Partner Dashboard); see "
        "docs/integrations.md")  # fmt: skip
    return 1 if connected.failed else 0


COMMANDS: dict[str, Callable[[Settings], int]] = {
    "dev": dev,
    "api": api,
    "worker": worker,
    "migrate": migrate,
}
# Commands about one outside system: `boomerang shopify connect`.
GROUPS: dict[str, tuple[str, dict[str, Callable[[Settings], int]]]] = {
    "shopify": ("Shopify: connect the shop's webhooks", {"connect": shopify_connect}),
}
# Commands with arguments of their own: how to declare them, and the command.
ARGUED: dict[
    str,
    tuple[
        Callable[[argparse.ArgumentParser], None],
        Callable[[Settings, argparse.Namespace], int],
    ],
] = {
    "simulate": (simulate.add_arguments, simulate.simulate),
}


def _help(function: Callable[..., int]) -> str:
    return (function.__doc__ or "").strip().splitlines()[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="boomerang",
        description="Abandoned-cart and post-purchase automations on durable Temporal journeys.",
        epilog="Settings come from BOOMERANG_* environment variables (see the README).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, function in COMMANDS.items():
        commands.add_parser(name, help=_help(function))
    for name, (declare, command) in ARGUED.items():
        declare(commands.add_parser(name, help=_help(command), description=_help(command)))
    for group, (about, functions) in GROUPS.items():
        subcommands = commands.add_parser(group, help=about).add_subparsers(
            dest="subcommand", required=True, metavar="SUBCOMMAND"
        )
        for name, function in functions.items():
            subcommands.add_parser(name, help=_help(function))
    arguments = parser.parse_args(argv)
    if arguments.command in ARGUED:
        sys.exit(ARGUED[arguments.command][1](Settings(), arguments))
    if arguments.command in GROUPS:
        chosen = GROUPS[arguments.command][1][arguments.subcommand]
    else:
        chosen = COMMANDS[arguments.command]
    sys.exit(chosen(Settings()))


if __name__ == "__main__":
    main()
