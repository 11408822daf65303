"""A customer's personal data (admins and support): what is held, everything held as one
JSON document (GDPR article 15), and erasure (article 17). The address is never written to
the audit log: entries name the customer's id."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import EmailStr

from builder_api.deps import (
    LoopSessionDep,
    OptionalTemporalDep,
    SessionDep,
    note_for_audit,
    require,
)
from builder_api.schemas.privacy import CustomerSummary, EraseRequest, ErasureOut
from engine.service import audit, customer_export, erasure
from engine.service.auth import Role

router = APIRouter(prefix="/customers", tags=["customers"])
Email = Annotated[EmailStr, Query(description="The customer's address (any case)")]


@router.get("/summary", dependencies=[require(Role.support)])
def customer_summary(email: Email, session: SessionDep) -> CustomerSummary:
    """What is held about an address, by kind of record (nothing held: all zero)."""
    return CustomerSummary.model_validate(customer_export.summary(session, email))


@router.get("/export", dependencies=[require(Role.support)])
def export_customer(email: Email, session: SessionDep, request: Request) -> dict[str, Any]:
    """Everything held about the customer as one JSON document: the customer, carts and
    items, orders, events as received, emails and what happened to them, journeys, discount
    codes, suppression, data requests. Logged in the audit log (by customer id)."""
    document = customer_export.export(session, email)
    actor = getattr(request.state, "actor", None)
    if isinstance(actor, audit.Actor):
        customer = document["customer"][0]["id"] if document["customer"] else None
        audit.record(session, actor, "GET /api/v1/customers/export", 200, customer)
    return document


@router.post("/erase", dependencies=[require(Role.support)])
async def erase_customer(
    body: EraseRequest, session: LoopSessionDep, client: OptionalTemporalDep, request: Request
) -> ErasureOut:
    """Erase everything personal about the customer in every table: their running journeys
    are cancelled first; the address stays unsubscribed as a salted hash. Idempotent: a
    second call removes nothing."""
    done = await erasure.erase(session, client, body.email)
    note_for_audit(request, done.customer_id, removed=done.removed)
    return ErasureOut(
        erased=done.found,
        removed=done.removed,
        journeys_cancelled=done.journeys_cancelled,
        journeys_not_reached=done.journeys_not_reached,
    )
