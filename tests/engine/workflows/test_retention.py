"""RetentionWorkflow and its schedule on a real Temporal dev server and a real database."""

import asyncio
import uuid
from datetime import timedelta

from sqlmodel import select
from temporalio.client import ScheduleActionStartWorkflow, ScheduleOverlapPolicy
from temporalio.testing import WorkflowEnvironment

from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service import retention
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, RetentionRun
from engine.workflows.retention import RetentionRequest, RetentionWorkflow
from tests.shop_history import abandoned, now, record


async def test_a_run_purges_in_batches_and_records_its_counts(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    url = settings.resolved_database_url
    today = now()
    record(
        url,
        settings,
        *(abandoned(f"cart_{n}", f"c{n}@example.com", today - timedelta(days=31 + n))
          for n in range(3)),
        abandoned("cart_young", "young@example.com", today - timedelta(days=29)),
    )  # fmt: skip

    async with build_worker(dev_server_env.client, settings):
        run_id = await dev_server_env.client.execute_workflow(
            RetentionWorkflow.run,
            RetentionRequest(limit=2),  # two batches
            id=f"retention-{uuid.uuid4()}",
            task_queue=settings.task_queue,
            execution_timeout=timedelta(minutes=1),
        )

    with session_scope(url) as session:
        run = session.get(RetentionRun, run_id)
        assert run is not None and (run.status, run.error) == ("done", None)
        assert run.counts == {
            "carts": 3, "customers": 3, "event_bodies": 0, "emails": 0, "simulations": 0
        }  # fmt: skip
        assert run.finished_at is not None and run.finished_at >= run.started_at
        assert session.exec(select(Cart.id)).all() == ["cart_young"]
        assert session.exec(select(Customer.email)).all() == ["young@example.com"]


async def test_the_worker_keeps_one_retention_schedule_at_the_configured_interval(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    client = dev_server_env.client
    schedule_id = f"test-retention-{uuid.uuid4()}"  # parallel tests never share one
    hourly = settings.model_copy(update={"retention_interval": timedelta(hours=1)})
    try:
        started = await asyncio.gather(
            retention.ensure_schedule(client, hourly, schedule_id),
            retention.ensure_schedule(client, hourly, schedule_id),
        )
        again = await retention.ensure_schedule(client, hourly, schedule_id)
        daily = hourly.model_copy(update={"retention_interval": timedelta(days=1)})
        changed = await retention.ensure_schedule(client, daily, schedule_id)
        described = await client.get_schedule_handle(schedule_id).describe()
    finally:
        await client.get_schedule_handle(schedule_id).delete()

    assert sorted(started) == ["created", "unchanged"]
    assert (again, changed) == ("unchanged", "updated")
    assert [spec.every for spec in described.schedule.spec.intervals] == [timedelta(days=1)]
    assert described.schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
    action = described.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.task_queue) == ("RetentionWorkflow", settings.task_queue)
