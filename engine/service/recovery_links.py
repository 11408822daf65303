"""A fresh recovery link for a cart, made by hand (`POST /api/v1/carts/{id}/recovery-link`):
support copies it into a reply; a marketer may add a new single-use code from the shop's
discount provider (engine.discounts), recorded like a journey's code under its own
idempotency key before the provider hears of it."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from engine.discounts import (
    CodeRequest,
    PlatformBusy,
    PlatformRefused,
    PlatformUnauthorized,
    provider_for,
)
from engine.runtime.settings import Settings
from engine.service.errors import Conflict, NotFound
from engine.service.links import recovery_url
from engine.store.models import Cart, Customer, DiscountCode, new_id
from engine.store.types import utcnow

# As `create_discount` draws them (no 0/O or 1/I).
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PREFIX = "SAVE"


@dataclass(frozen=True)
class RecoveryLink:
    url: str
    expires_at: datetime
    code: str | None = None
    code_expires_at: datetime | None = None


def make(
    session: Session,
    settings: Settings,
    cart_id: str,
    *,
    discount_percent: int | None = None,
    discount_expires_in: timedelta = timedelta(days=7),
) -> RecoveryLink:
    """A signed link back to the cart (valid `recovery_link_ttl`), and a new code if asked.
    The link names no email: following it records no click, it only leads to the cart."""
    cart = session.get(Cart, cart_id)
    if cart is None:
        raise NotFound(f"no cart {cart_id}")
    now = utcnow()
    key = new_id("link")
    link = RecoveryLink(
        url=recovery_url(settings, cart.id, f"recovery-link:{key}", now=now),
        expires_at=now + settings.recovery_link_ttl,
    )
    if discount_percent is None:
        return link
    code = _issue(session, settings, cart, discount_percent, now + discount_expires_in, key)
    return RecoveryLink(link.url, link.expires_at, code.code, code.expires_at)


def _issue(
    session: Session, settings: Settings, cart: Cart, percent: int, expires_at: datetime, key: str
) -> DiscountCode:
    provider = provider_for(settings)
    customer = session.get(Customer, cart.customer_id) if cart.customer_id else None
    code = f"{PREFIX}{percent}-{''.join(secrets.choice(ALPHABET) for _ in range(6))}"
    discount = DiscountCode(
        code=code,
        percent=percent,
        expires_at=expires_at,
        cart_id=cart.id,
        customer_id=cart.customer_id,
        idempotency_key=f"recovery-link:{key}",
        provider=provider.name,
        status="created" if provider.name == "builtin" else "creating",
    )
    session.add(discount)
    session.commit()  # recorded before the platform hears of it
    if discount.status == "created":
        return discount
    request = CodeRequest(
        code=code,
        percent=percent,
        expires_at=expires_at,
        usage_limit=1,
        customer_email=customer.email if customer else None,
        idempotency_key=discount.idempotency_key,
    )
    try:
        discount.provider_id = provider.find(code) or provider.create(request)
        discount.status = "created"
    except PlatformRefused as refused:
        discount.status, discount.error = "failed", f"{provider.name} refused the code: {refused}"
        raise Conflict(discount.error, code="discount_failed") from refused
    except (PlatformBusy, PlatformUnauthorized) as error:
        discount.status, discount.error = "failed", f"{provider.name}: {error}"
        raise Conflict(discount.error, code="discount_failed") from error
    finally:
        session.add(discount)
        session.commit()
    return discount
