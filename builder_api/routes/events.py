"""Event ingestion: the integration contract with shops.

The route reads the raw body itself: a signed request is checked against the exact bytes
that were signed, and the events are parsed here (all valid or none) so every problem
names its place (`events.3.data.customer_email`). The body's shape is published in the
OpenAPI document all the same (`REQUEST_SCHEMA`).
"""

import json
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, status
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError

from builder_api import storefront
from builder_api.deps import (
    LoopSessionDep,
    RawBody,
    RoleCheck,
    SettingsDep,
    TemporalDep,
    authenticate,
    client_address,
)
from builder_api.errors import ApiError, validation_problems
from builder_api.schemas.errors import ErrorOut
from builder_api.schemas.events import EventAccepted, EventsAccepted
from engine.language.events import EVENT_TYPES, Event, EventBatch
from engine.language.problems import Problem
from engine.service import ingest
from engine.service.auth import Role
from engine.service.signatures import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureRefused,
    signing_secrets,
    verify,
)

router = APIRouter(prefix="/events", tags=["events"])

_single = TypeAdapter(Event)
_batch = TypeAdapter(EventBatch)
REQUEST_SCHEMA = TypeAdapter(Event | EventBatch).json_schema(
    ref_template="#/components/schemas/{model}"
)
_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer <token>`")
_signature = APIKeyHeader(
    name=SIGNATURE_HEADER,
    auto_error=False,
    scheme_name="EventSignature",
    description=(
        'Instead of a token: `sha256=<hex HMAC-SHA256 of "{timestamp}.{raw body}">` keyed '
        f"with BOOMERANG_INGEST_SIGNING_SECRET, with `{TIMESTAMP_HEADER}: <unix seconds>`; "
        "accepted for 5 minutes after that time."
    ),
)


_ingest_role = RoleCheck([Role.ingest])


@dataclass(frozen=True)
class Caller:
    """Who sent the events: a shop that signed the body, or the holder of a token."""

    signature: str | None = None
    token_id: str | None = None
    # A storefront key: cart activity only (builder_api/storefront.py).
    storefront: bool = False


async def ingest_caller(
    request: Request,
    session: LoopSessionDep,
    settings: SettingsDep,
    body: RawBody,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    signature: Annotated[str | None, Depends(_signature)],
    timestamp: Annotated[
        str | None,
        Header(
            alias=TIMESTAMP_HEADER,
            description="With a signature: when it was made, in unix seconds (signed too); "
            "accepted within 5 minutes of the server's clock.",
        ),
    ] = None,
) -> Caller:
    """A validly signed body needs no token; otherwise an ingest or admin token, or a
    storefront key from one of the shop's origins (rate limited per client address). A request
    that carries a signature is judged by its signature alone.

    On the event loop, as the route's own database work is: one indexed read of the token,
    which costs less than the hop to a worker thread would."""
    if signature is not None:
        try:
            secrets = signing_secrets(settings.ingest_signing_secret)
            verify(secrets, signature, timestamp, body, now=time.time())
        except SignatureRefused as refused:
            raise ApiError(401, refused.code, refused.message) from refused
        return Caller(signature=signature)
    if credentials is None:
        raise ApiError(
            401,
            "unauthenticated",
            "send an ingest token as `Authorization: Bearer ...`, or sign the body "
            f"({SIGNATURE_HEADER} with {TIMESTAMP_HEADER})",
        )
    token = authenticate(request, session, credentials, storefront_ok=True)
    if token.role == Role.storefront:
        request.app.state.storefront_rate_limit.take(client_address(request))
        await storefront.check_origin(
            request.app.state.storefront_origins, request.headers.get("origin")
        )
        return Caller(token_id=token.id, storefront=True)
    _ingest_role.check(token)
    return Caller(token_id=token.id)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ApiError(400, "invalid_json", f"the body is not JSON: {error}") from error
    except RecursionError as error:
        raise ApiError(400, "invalid_json", "the body is nested too deeply") from error


def _parse(payload: Any) -> tuple[list[Event], bool]:
    """The events in a body holding one event or `{"events": [...]}`; all valid or none."""
    is_batch = isinstance(payload, dict) and "events" in payload
    if not isinstance(payload, dict):
        raise ApiError(
            422,
            "invalid_event",
            'the body must be one event {"event", "timestamp", "data"} or {"events": [...]}',
            [Problem(field="", message=f"expected an object, got {type(payload).__name__}")],
        )
    try:
        events = (
            list(_batch.validate_python(payload).events)
            if is_batch
            else [_single.validate_python(payload)]
        )
    except ValidationError as error:
        raise _invalid([_located(e) for e in error.errors()]) from error
    # Extra fields are kept as sent; one nested deeper than we can store is refused here.
    too_deep = []
    for index, event in enumerate(events):
        try:
            event.data.model_dump(mode="json")
        except ValueError as error:
            where = f"events.{index}.data" if is_batch else "data"
            too_deep.append(Problem(field=where, message=f"cannot be stored: {error}"))
    if too_deep:
        raise _invalid_problems(too_deep)
    return events, is_batch


def _located(error: Any) -> dict[str, Any]:
    """Drop the union's tag (the event type) from the location: `data.customer_email`; an
    unknown or missing type is the `event` field's problem."""
    location = tuple(part for part in error["loc"] if part not in EVENT_TYPES)
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        location = (*location, "event")
    return {**error, "loc": location}


def _invalid(errors: list[dict[str, Any]]) -> ApiError:
    return _invalid_problems(validation_problems(errors))


def _invalid_problems(problems: list[Problem]) -> ApiError:
    first = problems[0]
    message = f"{first.field}: {first.message}" if first.field else first.message
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return ApiError(422, "invalid_event", message, problems)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=EventAccepted | EventsAccepted,
    responses={
        413: {"model": ErrorOut, "description": "The body is over 10 MiB."},
        429: {
            "model": ErrorOut,
            "description": "A storefront key sent too many requests from this address; "
            "see `Retry-After`.",
        },
    },
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
    session: LoopSessionDep,
    client: TemporalDep,
    settings: SettingsDep,
    body: RawBody,
    caller: Annotated[Caller, Depends(ingest_caller)],
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            description="Names the request when its events carry no `id`: a single event's id "
            "becomes the key, a batch's events get `{key}:{index}`. Sending the same request "
            "again with the same key applies nothing twice.",
        ),
    ] = None,
) -> JSONResponse:
    """Accept one event or a batch of up to 500 (all or none); a repeated event id applies once.
    A storefront key may post `cart_updated` and `checkout_started` only, from the shop's
    origins (`storefront_origins`), 60 requests a minute per client address."""
    payload = _json(body)
    if caller.storefront:  # what it may not send is refused as such, valid or not
        storefront.check_event_types(payload)
    events, is_batch = _parse(payload)
    if caller.storefront:
        storefront.check_events(events, batch=is_batch)
    accepted = await ingest.accept(
        session,
        client,
        settings,
        events,
        batch=is_batch,
        idempotency_key=idempotency_key,
        signature=caller.signature,
    )
    answers = [EventAccepted(id=a.id, duplicate=a.duplicate) for a in accepted]
    answer = EventsAccepted(events=answers) if is_batch else answers[0]
    return JSONResponse(answer.model_dump(), status_code=status.HTTP_202_ACCEPTED)
