"""A journey's history lasts: its steps are in the database as they happen, and the journey
page answers from them after Temporal has forgotten the workflow."""

from typing import Any

from sqlmodel import col, select
from temporalio.api.common.v1 import WorkflowExecution
from temporalio.api.workflowservice.v1 import DeleteWorkflowExecutionRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from engine.store.db import session_scope
from engine.store.models import JourneyRecord
from tests.builder_api.conftest import Api
from tests.support import eventually

AB_THEN_EMAIL = {
    "name": "Kept history",
    "active": True,
    "definition": {
        "trigger": {"event": "cart_abandoned"},
        "exit_on": ["order_placed", "cart_recovered", "unsubscribed"],
        "steps": [
            {"id": "subject-test", "type": "ab_split", "variants": [
                {"name": "a", "weight": 50, "steps": [
                    {"id": "email-a", "type": "action", "action": "send_email",
                     "params": {"template": "cart-reminder"}}]},
                {"name": "b", "weight": 50, "steps": [
                    {"id": "email-b", "type": "action", "action": "send_email",
                     "params": {"template": "cart-reminder"}}]},
            ]},
        ],
    },
}  # fmt: skip


async def _journey(api: Api, workflow_id: str) -> dict[str, Any]:
    response = await api.http.get(f"/api/v1/journeys/{workflow_id}")
    journey: dict[str, Any] = response.json() if response.status_code == 200 else {}
    return journey


def _kept(api: Api, workflow_id: str) -> list[JourneyRecord]:
    with session_scope(api.settings.resolved_database_url) as session:
        return list(
            session.exec(
                select(JourneyRecord)
                .where(JourneyRecord.workflow_id == workflow_id)
                .order_by(col(JourneyRecord.seq))
            ).all()
        )


def _without_times(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in step.items() if key != "at"} for step in steps]


async def _gone(client: Client, workflow_id: str) -> bool:
    try:
        await client.get_workflow_handle(workflow_id).describe()
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return True
        raise
    return False


async def _forget(client: Client, workflow_id: str) -> None:
    """What Temporal's retention does to a closed workflow, now."""
    await client.workflow_service.delete_workflow_execution(
        DeleteWorkflowExecutionRequest(
            namespace=client.namespace,
            workflow_execution=WorkflowExecution(workflow_id=workflow_id),
        )
    )


async def test_the_journey_page_answers_from_the_kept_steps_once_temporal_forgot(
    api: Api, dev_server_env: WorkflowEnvironment
) -> None:
    client = dev_server_env.client
    automation_id = await api.create_automation(AB_THEN_EMAIL)
    workflow_id = f"journey:{automation_id}:cart_kept1"
    event = {"event": "cart_abandoned", "timestamp": "2024-01-15T14:30:00Z",
             "data": {"cart_id": "cart_kept1", "customer_email": "kept@example.com",
                      "total": 40}}  # fmt: skip
    assert (await api.http.post("/api/v1/events", json=event)).status_code == 202

    live = await eventually(lambda: _journey(api, workflow_id), lambda j: j.get("outcome"))
    kept = _kept(api, workflow_id)
    assert [(r.step_id, r.type) for r in kept] == [
        (step["step_id"], step["type"]) for step in live["steps"]
    ]
    assert kept[-1].detail["outcome"] == "completed"
    assert {r.cart_id for r in kept} == {"cart_kept1"}

    await _forget(client, workflow_id)
    await eventually(lambda: _gone(client, workflow_id), lambda gone: gone)
    remembered = await _journey(api, workflow_id)

    assert remembered["outcome"] == "completed"
    assert remembered["variants"] == live["variants"]
    # The same steps; the last action's and the end's times are the worker's clock, not the
    # workflow's (the action kept them), a few milliseconds apart.
    assert _without_times(remembered["steps"]) == _without_times(live["steps"])
    assert (remembered["automation_id"], remembered["cart_id"]) == (automation_id, "cart_kept1")
    assert remembered["automation_name"] == "Kept history"
    for query in ({"cart_id": "cart_kept1"}, {"customer_email": "kept@example.com"}):
        listed = (await api.http.get("/api/v1/journeys", params=query)).json()
        assert [(j["id"], j["outcome"], j["automation_name"]) for j in listed] == [
            (workflow_id, "completed", "Kept history")
        ]
