"""The activities of SimulationWorkflow (engine.workflows.simulation): carry a simulation
out, heartbeating after each batch; mark it failed when the workflow gives up. The use case
is engine.service.simulation. Not actions: the builder does not offer them."""

import asyncio

from temporalio import activity

from engine.runtime.settings import Settings
from engine.service import simulation
from engine.store.db import session_scope
from engine.workflows.simulation import FAIL, RUN, SimulationFailure, SimulationJob


class SimulationActivities:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @activity.defn(name=RUN)
    async def run_simulation(self, job: SimulationJob) -> None:
        loop = asyncio.get_running_loop()

        def heartbeat(done: int, total: int) -> None:
            # An async activity heartbeats on its event loop, not from the thread below.
            loop.call_soon_threadsafe(activity.heartbeat, done, total)

        def carry_out() -> None:
            with session_scope(self.settings.resolved_database_url) as session:
                simulation.run(session, self.settings, job.simulation_id, progress=heartbeat)

        # CPU-bound work off the event loop, with the activity's context (heartbeats need it).
        await asyncio.to_thread(carry_out)

    @activity.defn(name=FAIL)
    async def fail_simulation(self, failure: SimulationFailure) -> None:
        def record() -> None:
            with session_scope(self.settings.resolved_database_url) as session:
                simulation.fail(session, failure.simulation_id, failure.error)

        await asyncio.to_thread(record)
