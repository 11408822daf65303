"""The worker's Temporal Schedules (abandonment detection, retention), kept as the settings
say whichever worker starts first."""

import dataclasses
from datetime import timedelta
from typing import Any, Literal

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)
from temporalio.service import RPCError, RPCStatusCode


def every(
    interval: timedelta, run: Any, request: Any, workflow_id: str, task_queue: str
) -> Schedule:
    """Start the workflow `run` with `request` every `interval`, never two at once."""
    return Schedule(
        action=ScheduleActionStartWorkflow(run, request, id=workflow_id, task_queue=task_queue),
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every=interval)]),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP),
    )


async def ensure(
    client: Client, schedule_id: str, wanted: Schedule
) -> Literal["created", "updated", "unchanged"]:
    """Create the schedule, or bring an existing one to `wanted`.

    Safe when several workers start at once: the one that loses the creation race finds
    the schedule and leaves it alone when it already matches. A paused schedule stays paused.
    """
    try:
        await client.create_schedule(schedule_id, wanted)
        return "created"
    except ScheduleAlreadyRunningError:
        pass
    except RPCError as error:
        if error.status != RPCStatusCode.ALREADY_EXISTS:
            raise
    changed = False

    def bring_up_to_date(current: ScheduleUpdateInput) -> ScheduleUpdate | None:
        nonlocal changed
        schedule = current.description.schedule
        if _matches(schedule, wanted):
            return None
        changed = True
        return ScheduleUpdate(schedule=dataclasses.replace(wanted, state=schedule.state))

    await client.get_schedule_handle(schedule_id).update(bring_up_to_date)
    return "updated" if changed else "unchanged"


def _matches(current: Schedule, wanted: Schedule) -> bool:
    action, wanted_action = current.action, wanted.action
    assert isinstance(wanted_action, ScheduleActionStartWorkflow)
    return (
        isinstance(action, ScheduleActionStartWorkflow)
        and (action.workflow, action.task_queue)
        == (wanted_action.workflow, wanted_action.task_queue)
        and [i.every for i in current.spec.intervals] == [i.every for i in wanted.spec.intervals]
        and not current.spec.calendars
        and not current.spec.cron_expressions
        and current.policy.overlap == wanted.policy.overlap
    )
