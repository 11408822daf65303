"""Recorded journey histories still replay: workflow changes keep sleeping journeys safe.

Histories live in tests/engine/histories/ (see record.py there). A change that alters
the order of commands must be guarded with `workflow.patched`, or this test fails.
"""

from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer
from temporalio.workflow import NondeterminismError

from engine.language.contracts import JourneyInput
from engine.language.interpreter import JourneyState
from engine.runtime.worker import WORKFLOW_RUNNER
from engine.service.payload_codec import DATA_CONVERTER
from engine.workflows.journey import JourneyWorkflow

HISTORIES = sorted((Path(__file__).parent.parent / "histories").glob("*.json"))


def _history(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(path.stem, path.read_text())


def test_there_are_histories_to_replay() -> None:
    assert len(HISTORIES) >= 4


@pytest.mark.parametrize("path", HISTORIES, ids=lambda path: path.stem)
async def test_recorded_histories_replay_with_todays_workflow(path: Path) -> None:
    replayer = Replayer(
        workflows=[JourneyWorkflow],
        workflow_runner=WORKFLOW_RUNNER,
        data_converter=DATA_CONVERTER,
    )

    await replayer.replay_workflow(_history(path))


@workflow.defn(name="JourneyWorkflow")
class JourneyWorkflowWithoutPurchaseCheck(JourneyWorkflow):
    """A deliberately broken copy: skips the purchase check without `workflow.patched`."""

    @workflow.run
    async def run(self, journey: JourneyInput) -> JourneyState:
        return await super().run(journey)

    async def _purchase_check(self, *_args: object) -> None:
        return None


async def test_an_unguarded_change_of_command_order_fails_the_replay() -> None:
    replayer = Replayer(
        workflows=[JourneyWorkflowWithoutPurchaseCheck],
        workflow_runner=WORKFLOW_RUNNER,
        data_converter=DATA_CONVERTER,
    )
    history = next(path for path in HISTORIES if path.stem == "three-reminders-lost")

    with pytest.raises(NondeterminismError):
        await replayer.replay_workflow(_history(history))


def test_journeys_since_the_check_moved_into_the_action_run_one_activity_per_action() -> None:
    """The histories recorded after FEWER_COMMANDS exercise the patched path."""
    history = _history(next(p for p in HISTORIES if p.name.endswith("lost.check-in-action.json")))
    activities = [
        event.activity_task_scheduled_event_attributes.activity_type.name
        for event in history.events
        if event.HasField("activity_task_scheduled_event_attributes")
    ]

    assert "check_purchase" not in activities
    assert activities.count("send_email") == 3
