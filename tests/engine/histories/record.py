"""Record representative JourneyWorkflow histories for the replay test.

Record new scenarios by name (existing histories stay as they were recorded):
    .venv/bin/python -m tests.engine.histories.record quiet-hours-deferred
After a deliberate, `workflow.patched`-guarded change to the workflow, record every scenario
again beside the old ones, under a tag naming the change (NAME.TAG.json); keep the old files,
they are the journeys still sleeping on the old code:
    .venv/bin/python -m tests.engine.histories.record --tag check-in-action
(Re-recording to make a failing replay pass would hide exactly what the test exists to catch.)
"""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import ControlRequest, JourneySignal, MoveRequest
from engine.language.interpreter import JourneyState
from engine.service.payload_codec import DATA_CONVERTER
from engine.service.temporal import register_search_attributes
from engine.workflows.journey import JourneyWorkflow
from tests.conftest import BIN
from tests.engine.workflows.support import RecordingActions, definition_of, running
from tests.engine.workflows.test_journey_controls import WAIT_FOR_CLICK
from tests.engine.workflows.test_journey_sequence import THREE_REMINDERS

HERE = Path(__file__).resolve().parent
Handle = WorkflowHandle[JourneyWorkflow, JourneyState]
Drive = Callable[[WorkflowEnvironment, Handle, RecordingActions], Awaitable[None]]


async def _to_the_end(_env: WorkflowEnvironment, handle: Handle, *_: object) -> None:
    await handle.result()


async def _bought_known_to_the_database(
    env: WorkflowEnvironment, handle: Handle, actions: RecordingActions
) -> None:
    await env.sleep(timedelta(hours=30))
    actions.known_events = ["order_placed"]  # the order's signal was lost: the check finds it
    await handle.result()


async def _recovered_after_email_2(env: WorkflowEnvironment, handle: Handle, *_: object) -> None:
    await env.sleep(timedelta(hours=26))
    await handle.signal(JourneyWorkflow.event, JourneySignal(event_id="e1", event="cart_recovered"))
    await handle.result()


async def _paused_resumed_cancelled(env: WorkflowEnvironment, handle: Handle, *_: object) -> None:
    await handle.execute_update(JourneyWorkflow.pause, ControlRequest())
    await env.sleep(timedelta(hours=2))
    await handle.execute_update(JourneyWorkflow.resume, ControlRequest())
    await env.sleep(timedelta(hours=10))
    await handle.execute_update(JourneyWorkflow.cancel, ControlRequest(reason="asked by phone"))
    await handle.result()


async def _clicked(env: WorkflowEnvironment, handle: Handle, *_: object) -> None:
    await env.sleep(timedelta(hours=3))
    await handle.signal(JourneyWorkflow.event, JourneySignal(event_id="c1", event="email_clicked"))
    await handle.result()


def _email(step_id: str) -> dict[str, object]:
    return {"id": step_id, "type": "action", "action": "send_email", "params": {}}


# Nearly all day is quiet, so the email is deferred whenever this is recorded.
QUIET_ALL_DAY = definition_of(
    {"id": "wait-1", "type": "wait", "duration": "1h"},
    _email("email-1"),
    settings={"quiet_hours": {"start": "00:00", "end": "23:59", "timezone": "UTC"}},
)
ALL_HELD_OUT = definition_of(
    {"id": "wait-1", "type": "wait", "duration": "1h"},
    _email("email-1"),
    {"id": "wait-2", "type": "wait", "duration": "1h"},
    _email("email-2"),
    settings={"holdout_percent": 100},
)


async def _moved_to_a_shorter_version(env: WorkflowEnvironment, handle: Handle, *_: object) -> None:
    await env.sleep(timedelta(minutes=30))
    shorter = definition_of(
        {"id": "wait-1", "type": "wait", "duration": "1h"},
        _email("email-1"),
        {"id": "done", "type": "exit", "outcome": "completed"},
    )
    await handle.execute_update(JourneyWorkflow.move_to, MoveRequest(definition=shorter, version=4))
    await handle.result()


SCENARIOS: dict[str, tuple[object, Drive]] = {
    "three-reminders-lost": (THREE_REMINDERS, _to_the_end),
    "recovered-after-email-2": (THREE_REMINDERS, _recovered_after_email_2),
    "paused-resumed-cancelled": (THREE_REMINDERS, _paused_resumed_cancelled),
    "wait-for-click-clicked": (WAIT_FOR_CLICK, _clicked),
    "quiet-hours-deferred": (QUIET_ALL_DAY, _to_the_end),
    "holdout-shadow": (ALL_HELD_OUT, _to_the_end),
    "moved-to-a-shorter-version": (THREE_REMINDERS, _moved_to_a_shorter_version),
    "bought-known-to-the-database": (THREE_REMINDERS, _bought_known_to_the_database),
}


async def main(names: list[str], tag: str | None) -> None:
    async with await WorkflowEnvironment.start_time_skipping(
        data_converter=DATA_CONVERTER,
        test_server_existing_path=str(BIN / "temporal-test-server"),
    ) as env:
        await register_search_attributes(env.client)
        for name in names or SCENARIOS:
            definition, drive = SCENARIOS[name]
            actions = RecordingActions()
            async with running(env, actions) as start:
                handle = await start(definition)  # type: ignore[arg-type]
                await drive(env, handle, actions)
                history = await handle.fetch_history()
            (HERE / f"{name}{f'.{tag}' if tag else ''}.json").write_text(history.to_json())
            print(f"recorded {name}")  # noqa: T201


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description="Record JourneyWorkflow histories.")
    arguments.add_argument("names", nargs="*", help="scenarios (default: all)")
    arguments.add_argument("--tag", help="record as NAME.TAG.json, beside the older histories")
    parsed = arguments.parse_args()
    asyncio.run(main(parsed.names, parsed.tag))
