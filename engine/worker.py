"""The Temporal worker: JourneyWorkflow and one activity per registered action."""

from temporalio.client import Client
from temporalio.worker import Worker

from engine.activities.registry import build_activities
from engine.settings import Settings
from engine.workflows.journey import JourneyWorkflow


def build_worker(client: Client, settings: Settings, task_queue: str | None = None) -> Worker:
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=[JourneyWorkflow],
        activities=build_activities(settings),
    )
