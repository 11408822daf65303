"""The Temporal worker: the journeys and their actions, and abandonment detection."""

from temporalio.client import Client
from temporalio.worker import Worker

from engine.activities.runner import ACTION_THREADS, build_activities
from engine.runtime.settings import Settings
from engine.workflows.abandonment import AbandonmentWorkflow
from engine.workflows.journey import JourneyWorkflow


def build_worker(client: Client, settings: Settings, task_queue: str | None = None) -> Worker:
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=[JourneyWorkflow, AbandonmentWorkflow],
        activities=build_activities(settings),
        max_concurrent_activities=ACTION_THREADS,
    )
