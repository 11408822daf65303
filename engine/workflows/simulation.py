"""SimulationWorkflow: a large simulation carried out by the worker (`POST
/api/v1/automations/{id}/simulate` above a few thousand carts).

One activity runs it batch by batch, writing each batch's timelines and the progress to the
simulation's row (what `GET /api/v1/simulations/{id}` reads) and heartbeating; a worker that
dies mid-way lets the heartbeat time out and the retry start over. If it gives up for good,
a second activity marks the simulation failed with the reason. The workflow carries the
simulation's id only: the carts and results stay in the database.
"""

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel

RUN, FAIL = "run_simulation", "fail_simulation"
# 100,000 carts take about a minute and a half here; the limit only stops a run that never
# ends.
RUN_TIMEOUT = timedelta(hours=1)
HEARTBEAT = timedelta(minutes=2)  # each batch heartbeats: a few hundred carts, under a second
RUN_RETRY = RetryPolicy(maximum_attempts=3)
FAIL_TIMEOUT = timedelta(seconds=30)


def workflow_id(simulation_id: str) -> str:
    return f"simulation:{simulation_id}"


class SimulationJob(BaseModel):
    simulation_id: str


class SimulationFailure(BaseModel):
    simulation_id: str
    error: str


@workflow.defn
class SimulationWorkflow:
    @workflow.run
    async def run(self, job: SimulationJob) -> None:
        try:
            await workflow.execute_activity(
                RUN,
                job,
                start_to_close_timeout=RUN_TIMEOUT,
                heartbeat_timeout=HEARTBEAT,
                retry_policy=RUN_RETRY,
            )
        except ActivityError as error:
            await workflow.execute_activity(
                FAIL,
                SimulationFailure(simulation_id=job.simulation_id, error=str(error.cause or error)),
                start_to_close_timeout=FAIL_TIMEOUT,
                retry_policy=RetryPolicy(maximum_interval=timedelta(minutes=1)),
            )
