"""Event ingestion: the integration contract with shops."""

import json
from typing import Any

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter, ValidationError

from builder_api.deps import SessionDep, SettingsDep, TemporalDep, require
from builder_api.errors import ApiError, validation_problems
from builder_api.schemas import EventAccepted, EventsAccepted
from engine.events import EVENT_TYPES, Event, EventBatch
from engine.service.auth import Role
from engine.service.ingest import ingest

router = APIRouter(prefix="/events", tags=["events"])

_single = TypeAdapter(Event)
_batch = TypeAdapter(EventBatch)
REQUEST_SCHEMA = TypeAdapter(Event | EventBatch).json_schema(
    ref_template="#/components/schemas/{model}"
)


def _parse(body: bytes) -> tuple[list[Event], bool]:
    """The events in a body holding one event or `{"events": [...]}`; all valid or none."""
    try:
        payload: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {error}") from error
    is_batch = isinstance(payload, dict) and "events" in payload
    try:
        if is_batch:
            return list(_batch.validate_python(payload).events), True
        return [_single.validate_python(payload)], False
    except ValidationError as error:
        # Drop the union's tag (the event type) from each location: `data.customer_email`.
        errors = [
            {**e, "loc": tuple(part for part in e["loc"] if part not in EVENT_TYPES)}
            for e in error.errors()
        ]
        problems = validation_problems(errors)
        first = problems[0]
        raise ApiError(422, "invalid_event", f"{first.field}: {first.message}", problems) from error


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[require(Role.ingest)],
    response_model=EventAccepted | EventsAccepted,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {k: v for k, v in REQUEST_SCHEMA.items() if k != "$defs"}
                }
            },
        }
    },
)
async def post_events(
    request: Request, session: SessionDep, client: TemporalDep, settings: SettingsDep
) -> JSONResponse:
    """Accept one event or a batch of up to 500; a repeated event id is applied once."""
    events, is_batch = _parse(await request.body())
    accepted = await ingest(session, client, settings, events)
    answers = [EventAccepted(id=a.id, duplicate=a.duplicate) for a in accepted]
    body = EventsAccepted(events=answers) if is_batch else answers[0]
    return JSONResponse(body.model_dump(), status_code=status.HTTP_202_ACCEPTED)
