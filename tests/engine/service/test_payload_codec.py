"""What journeys store in Temporal is compressed, and what was stored before still reads."""

import uuid

from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import JourneyInput
from engine.service.journeys import enroll
from engine.service.payload_codec import DATA_CONVERTER, ENCODING
from tests.engine.workflows.test_journey_sequence import THREE_REMINDERS


def _journey() -> JourneyInput:
    return JourneyInput(
        automation_id="aut_codec",
        automation_version=1,
        definition=THREE_REMINDERS,
        subject_id="cart-1",
        cart_id="cart-1",
        customer_id="cus_1",
        context={"cart": {"total": 280.77, "currency": "USD"}},
        quiet_actions=["send_email"],
    )


async def test_a_journey_input_is_stored_in_under_half_the_size_and_reads_back() -> None:
    [plain] = await pydantic_data_converter.encode([_journey()])
    [stored] = await DATA_CONVERTER.encode([_journey()])

    assert stored.metadata["encoding"] == ENCODING
    assert stored.ByteSize() * 2 < plain.ByteSize()
    assert await DATA_CONVERTER.decode([stored], [JourneyInput]) == [_journey()]


async def test_small_payloads_and_those_written_before_the_codec_pass_unchanged() -> None:
    [small] = await DATA_CONVERTER.encode(["sent"])
    [written_before] = await pydantic_data_converter.encode([_journey()])

    assert small.metadata["encoding"] == b"json/plain"
    assert await DATA_CONVERTER.decode([written_before], [JourneyInput]) == [_journey()]
    assert await DATA_CONVERTER.decode([small], [str]) == ["sent"]


async def test_the_server_keeps_the_journey_input_compressed(
    dev_server_env: WorkflowEnvironment,
) -> None:
    queue = str(uuid.uuid4())  # no worker: the journey only waits to start
    workflow_id = await enroll(dev_server_env.client, queue, _journey())

    history = await dev_server_env.client.get_workflow_handle(workflow_id).fetch_history()
    started = history.events[0].workflow_execution_started_event_attributes
    [payload] = started.input.payloads
    assert isinstance(payload, Payload) and payload.metadata["encoding"] == ENCODING
