"""AbandonmentWorkflow and its schedule on a real Temporal dev server and a real database."""

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

from sqlmodel import select
from temporalio.client import ScheduleActionStartWorkflow, ScheduleOverlapPolicy
from temporalio.testing import WorkflowEnvironment

from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service import automations
from engine.service.bootstrap import prepare
from engine.service.idle_carts import ensure_schedule
from engine.service.journeys import list_for_cart
from engine.service.payload_codec import decompressed
from engine.store import models
from engine.store.db import session_scope
from engine.store.types import utcnow
from engine.workflows.abandonment import (
    AbandonmentCounts,
    AbandonmentRequest,
    AbandonmentWorkflow,
)
from tests.support import automation, eventually


async def test_a_run_abandons_idle_carts_and_starts_their_journeys(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    prepare(settings)
    url = settings.resolved_database_url
    cart_id = f"cart-{uuid.uuid4()}"  # the Temporal server outlives a test
    idle = utcnow() - timedelta(hours=2)
    with session_scope(url) as session:
        created, _ = automations.create_published(
            session, "Reminder", automation(wait="1h")["definition"], active=True
        )
        customer = models.Customer(email="jane@example.com")
        session.add(customer)
        session.flush()
        session.add(
            models.Cart(id=cart_id, customer_id=customer.id, total=Decimal(50), updated_at=idle)
        )
        session.add(models.Cart(id=f"guest-{uuid.uuid4()}", updated_at=idle))
        session.add(models.Cart(id=f"recent-{uuid.uuid4()}", updated_at=utcnow()))

    async with build_worker(dev_server_env.client, settings, task_queue=settings.task_queue):
        counts = await dev_server_env.client.execute_workflow(
            AbandonmentWorkflow.run,
            AbandonmentRequest(),
            id=f"abandonment-{uuid.uuid4()}",
            task_queue=settings.task_queue,
            execution_timeout=timedelta(minutes=1),
        )
        journeys = await eventually(
            lambda: list_for_cart(dev_server_env.client, cart_id, created.id),
            lambda views: len(views) == 1,
        )
        handle = dev_server_env.client.get_workflow_handle(journeys[0].id)
        history = await handle.fetch_history()
        await handle.terminate("test over")

    assert counts == AbandonmentCounts(marked=2, enrolled=1, guests=1, more=False)
    assert journeys[0].status == "running"
    started = history.events[0].workflow_execution_started_event_attributes
    journey_input = b"".join(decompressed(payload).data for payload in started.input.payloads)
    assert b"cart_id" in journey_input
    assert b"jane" not in journey_input and b"example.com" not in journey_input
    with session_scope(url) as session:
        cart = session.get(models.Cart, cart_id)
        assert cart is not None and cart.status == "abandoned"
        assert cart.abandoned_at == idle + settings.inactivity_threshold
        assert all(event.applied_at for event in session.exec(select(models.Event)))


async def test_the_worker_keeps_one_schedule_at_the_configured_interval(
    settings: Settings, dev_server_env: WorkflowEnvironment
) -> None:
    client = dev_server_env.client
    schedule_id = f"test-abandonment-{uuid.uuid4()}"  # parallel tests never share one
    hourly = settings.model_copy(update={"abandonment_interval": timedelta(hours=1)})
    try:
        # Two workers starting together: one creates it, the other finds it as wanted.
        started = await asyncio.gather(
            ensure_schedule(client, hourly, schedule_id),
            ensure_schedule(client, hourly, schedule_id),
        )
        again = await ensure_schedule(client, hourly, schedule_id)
        first = await client.get_schedule_handle(schedule_id).describe()

        two_hourly = hourly.model_copy(update={"abandonment_interval": timedelta(hours=2)})
        changed = await ensure_schedule(client, two_hourly, schedule_id)
        second = await client.get_schedule_handle(schedule_id).describe()
    finally:
        await client.get_schedule_handle(schedule_id).delete()

    assert sorted(started) == ["created", "unchanged"]
    assert (again, changed) == ("unchanged", "updated")
    assert [spec.every for spec in first.schedule.spec.intervals] == [timedelta(hours=1)]
    assert [spec.every for spec in second.schedule.spec.intervals] == [timedelta(hours=2)]
    assert second.schedule.policy.overlap == ScheduleOverlapPolicy.SKIP
    action = second.schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    assert (action.workflow, action.task_queue) == ("AbandonmentWorkflow", settings.task_queue)
