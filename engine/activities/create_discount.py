"""Create a single-use code where the customer pays; later steps read it as `steps.<id>.code`."""

import secrets
from datetime import UTC, datetime, timedelta

from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from engine.discounts import (
    CodeRequest,
    PlatformBusy,
    PlatformRefused,
    PlatformUnauthorized,
    provider_for,
)
from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.language.definition import PositiveDuration
from engine.store.models import Customer, DiscountCode
from engine.store.types import utcnow

# Customers type codes by hand: no 0/O or 1/I. 32 symbols, 6 of them: ~10⁹ codes per prefix.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
DRAWS = 5
CREATING, CREATED, FAILED = "creating", "created", "failed"


class CreateDiscount(ActionParams):
    percent: int = Field(ge=1, le=90, title="Discount %", json_schema_extra={"x-suggested": 10})
    # A string default so the builder shows "7d"; validated into a timedelta like any input.
    expires_in: PositiveDuration = Field(
        "7d", title="Valid for", le=timedelta(days=366), validate_default=True
    )
    prefix: str = Field("SAVE", title="Code prefix", pattern=r"^[A-Z0-9]{1,12}$")


@action(label="Create discount", category="Incentives")
def create_discount(ctx: ActionContext, params: CreateDiscount) -> ActionResult:
    # No docstring: the builder shows the module's. The code is recorded (committed) under
    # the step's idempotency key before the shop's platform hears of it; a retry finds the
    # record and asks the platform whether it has the code before creating it, so one step
    # never issues two codes.
    provider = provider_for(ctx.settings)
    with ctx.session() as session:
        earlier = _created_before(session, ctx.idempotency_key)
        discount = earlier or _draw(session, ctx, params, provider.name)
        email = _email_of(session, discount.customer_id)
    if discount.status == CREATED:  # in our records only, or an earlier attempt finished
        return _result(discount, repeated=earlier is not None)
    if discount.status == FAILED:
        raise ApplicationError(
            discount.error or "the platform refused this code", non_retryable=True
        )
    request = CodeRequest(code=discount.code, percent=discount.percent,
                          expires_at=discount.expires_at, usage_limit=discount.usage_limit,
                          customer_email=email, idempotency_key=ctx.idempotency_key)  # fmt: skip
    try:
        provider_id = provider.find(discount.code) or provider.create(request)
    except PlatformRefused as refused:
        _settle(ctx, discount.id, FAILED, error=f"{provider.name} refused the code: {refused}")
        raise ApplicationError(f"{provider.name} refused the code: {refused}",
                               non_retryable=True) from refused  # fmt: skip
    except PlatformBusy as busy:
        raise ApplicationError(
            f"{provider.name} is rate limiting us: {busy}",
            next_retry_delay=timedelta(seconds=busy.retry_after),
        ) from busy
    except PlatformUnauthorized as refused:
        # Retried: fixing the token or its scopes lets the journey go on.
        raise ApplicationError(f"{provider.name} refused our token: {refused}") from refused
    return _result(_settle(ctx, discount.id, CREATED, provider_id=provider_id))


def _draw(
    session: Session, ctx: ActionContext, params: CreateDiscount, provider: str
) -> DiscountCode:
    """A new code recorded for this step (`creating` until the platform has it)."""
    expires_at = _started_at() + params.expires_in
    for _ in range(DRAWS):
        discount = DiscountCode(
            code=new_code(params.prefix, params.percent),
            percent=params.percent,
            expires_at=expires_at,
            cart_id=ctx.request.cart_id,
            customer_id=ctx.request.customer_id,
            idempotency_key=ctx.idempotency_key,
            provider=provider,
            status=CREATED if provider == "builtin" else CREATING,
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
        return discount
    # Five taken codes in a row means the prefix's space is nearly full; a retry may still win.
    raise ApplicationError(f"no free discount code left to draw with prefix {params.prefix!r}")


def _settle(ctx: ActionContext, discount_id: str, status: str, *, provider_id: str | None = None,
            error: str | None = None) -> DiscountCode:  # fmt: skip
    with ctx.session() as session:
        discount = session.get(DiscountCode, discount_id)
        assert discount is not None
        discount.status, discount.provider_id = status, provider_id
        discount.error = error[:2000] if error else None
        session.add(discount)
        return discount


def new_code(prefix: str, percent: int) -> str:
    return f"{prefix}{percent}-{''.join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))}"


def _started_at() -> datetime:
    """When Temporal started this attempt (the local clock outside an activity)."""
    return activity.info().started_time if activity.in_activity() else utcnow()


def _created_before(session: Session, key: str) -> DiscountCode | None:
    return session.exec(select(DiscountCode).where(DiscountCode.idempotency_key == key)).first()


def _email_of(session: Session, customer_id: str | None) -> str | None:
    customer = session.get(Customer, customer_id) if customer_id else None
    return customer.email if customer is not None else None


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
