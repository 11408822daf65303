"""Create a single-use discount code for the cart; later steps read it as `steps.<id>.code`."""

import secrets
from datetime import UTC, datetime, timedelta

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.language.definition import PositiveDuration
from engine.store.models import DiscountCode
from engine.store.types import utcnow

# Customers type codes by hand: no 0/O or 1/I. 32 symbols, 6 of them: ~10⁹ codes per prefix.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DRAWS = 5


class CreateDiscount(ActionParams):
    percent: int = Field(ge=1, le=90, title="Discount %", json_schema_extra={"x-suggested": 10})
    # A string default so the builder shows "7d"; validated into a timedelta like any input.
    expires_in: PositiveDuration = Field(
        "7d", title="Valid for", le=timedelta(days=366), validate_default=True
    )
    prefix: str = Field("SAVE", title="Code prefix", pattern=r"^[A-Z0-9]{1,12}$")


@action(label="Create discount", category="Incentives")
def create_discount(ctx: ActionContext, params: CreateDiscount) -> ActionResult:
    with ctx.session() as session:
        if existing := _created_before(session, ctx.idempotency_key):
            return existing
        expires_at = _started_at() + params.expires_in
        for _ in range(DRAWS):
            discount = DiscountCode(
                code=new_code(params.prefix, params.percent),
                percent=params.percent,
                expires_at=expires_at,
                cart_id=ctx.request.cart_id,
                customer_id=ctx.request.customer_id,
                idempotency_key=ctx.idempotency_key,
            )
            session.add(discount)
            try:
                session.flush()
            except IntegrityError:
                # Either a concurrent attempt of this step stored its code (that one counts),
                # or the drawn code is taken: draw again.
                session.rollback()
                if existing := _created_before(session, ctx.idempotency_key):
                    return existing
                continue
            return _result(discount)
    # Five taken codes in a row means the prefix's space is nearly full; a retry may still win.
    raise ApplicationError(f"no free discount code left to draw with prefix {params.prefix!r}")


def new_code(prefix: str, percent: int) -> str:
    return f"{prefix}{percent}-{''.join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))}"


def _started_at() -> datetime:
    """When Temporal started this attempt (the local clock outside an activity)."""
    return activity.info().started_time if activity.in_activity() else utcnow()


def _created_before(session: Session, key: str) -> ActionResult | None:
    existing = session.exec(select(DiscountCode).where(DiscountCode.idempotency_key == key)).first()
    return _result(existing, repeated=True) if existing else None


def _result(discount: DiscountCode, *, repeated: bool = False) -> ActionResult:
    extra = {"repeated": True} if repeated else {}
    return ActionResult(
        status="created",
        discount_id=discount.id,
        code=discount.code,
        percent=discount.percent,
        expires_at=discount.expires_at.astimezone(UTC).isoformat(),
        **extra,
    )
