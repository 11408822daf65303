"""The Temporal worker: the journeys and their actions, abandonment detection, bulk messages,
simulations and the retention purge."""

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from engine.activities.runner import ACTION_THREADS, build_activities
from engine.runtime.settings import Settings
from engine.workflows.abandonment import AbandonmentWorkflow
from engine.workflows.bulk_message import BulkMessageWorkflow
from engine.workflows.journey import JourneyWorkflow
from engine.workflows.retention import RetentionWorkflow
from engine.workflows.simulation import SimulationWorkflow

# The sandbox re-imports a workflow's own modules for every workflow it starts or replays
# (compiling and running them: ~8 of the 28 ms a three-email journey takes to replay, see
# docs/BENCHMARKS.md). Ours keep no state between runs and import only pure code (the
# language; replay tests guard their determinism): they come in from the host instead.
WORKFLOW_RUNNER = SandboxedWorkflowRunner(
    restrictions=SandboxRestrictions.default.with_passthrough_modules("engine")
)


def build_worker(client: Client, settings: Settings, task_queue: str | None = None) -> Worker:
    return Worker(
        client,
        task_queue=task_queue or settings.task_queue,
        workflows=[
            JourneyWorkflow,
            AbandonmentWorkflow,
            BulkMessageWorkflow,
            SimulationWorkflow,
            RetentionWorkflow,
        ],
        workflow_runner=WORKFLOW_RUNNER,
        activities=build_activities(settings),
        max_concurrent_activities=ACTION_THREADS,
    )
