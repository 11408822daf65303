"""Messages to carts: one template to one cart's customer, or to every cart a filter
matches (a dry run counts; the real run is a Temporal workflow with progress and a report).
Each respects the suppression list, consent and the frequency cap, and is in the audit log."""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response

from builder_api.deps import SessionDep, SettingsDep, TemporalDep, note_for_audit, require
from builder_api.schemas.carts import (
    BulkMessageDryRun,
    BulkMessageRequest,
    BulkMessageStarted,
    BulkMessageStatus,
    CartMessageRequest,
    CartMessageSent,
    Skipped,
)
from engine.service import cart_messages
from engine.service.auth import Role

router = APIRouter(prefix="/carts", tags=["carts"])
CartId = Annotated[str, Path(max_length=200, description="The shop's cart id")]


@router.post(
    "/bulk-message",
    dependencies=[require(Role.marketer)],
    status_code=202,
    responses={200: {"model": BulkMessageDryRun, "description": "The dry run's counts"}},
)
async def bulk_message(
    request: Request,
    response: Response,
    body: BulkMessageRequest,
    session: SessionDep,
    settings: SettingsDep,
    client: TemporalDep,
) -> BulkMessageStarted | BulkMessageDryRun:
    """Message every cart the filter matches: `dry_run` answers how many would be sent and
    how many are skipped and why; otherwise a run starts (202) whose status URL shows its
    progress and final report."""
    if body.dry_run:
        counted = cart_messages.dry_run(session, settings, body.filter)
        note_for_audit(request, None, template=body.template, dry_run=True,
                       would_send=counted.would_send, skipped=counted.skipped)  # fmt: skip
        response.status_code = 200
        return BulkMessageDryRun(would_send=counted.would_send, skipped=Skipped(**counted.skipped))
    run = await cart_messages.start_bulk(
        client, session, settings, body.filter, body.template, body.subject
    )
    note_for_audit(request, run.id, template=body.template, dry_run=False)
    return BulkMessageStarted(run_id=run.id, status_url=f"/api/v1/carts/bulk-message/{run.id}")


@router.get("/bulk-message/{run_id}", dependencies=[require(Role.marketer)])
def bulk_message_status(
    run_id: Annotated[str, Path(max_length=40)], session: SessionDep
) -> BulkMessageStatus:
    """A bulk message's progress, and its report once it is done."""
    return BulkMessageStatus.model_validate(
        cart_messages.report(cart_messages.run_of(session, run_id))
    )


@router.post("/{cart_id}/message", dependencies=[require(Role.marketer)])
def message_cart(
    request: Request,
    cart_id: CartId,
    body: CartMessageRequest,
    session: SessionDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=100,
            pattern=r"^[A-Za-z0-9._\-]+$",
            description="Repeating a request with the same key sends nothing more",
        ),
    ] = None,
) -> CartMessageSent:
    """Send a template to this cart's customer now; 409 with the reason (`suppressed`,
    `no_consent`, `frequency_cap`, `no_email`) when it may not be sent."""
    note_for_audit(request, cart_id, template=body.template)
    message = cart_messages.send_one(
        session, settings, cart_id, body.template, body.subject, idempotency_key
    )
    assert message.id is not None
    note_for_audit(request, cart_id, template=body.template, message_id=message.id)
    return CartMessageSent(message_id=message.id)
