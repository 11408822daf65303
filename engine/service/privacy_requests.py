"""Privacy requests a shop platform sends (engine.platforms: Shopify's mandatory
`customers/data_request`, `customers/redact` and `shop/redact`), carried out by the intake
(engine/service/platform_intake.py) once the call is verified.

A data request is recorded for admins (`GET /api/v1/privacy/data-requests`), who answer it
with the customer's export; a customer redaction erases the customer as
`POST /api/v1/customers/erase` does; a shop redaction empties every table of customers'
data, but only for our own shop. What each did is said by counts only: the delivery's
record must not name the customer it erased.
"""

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from sqlmodel import Session, select
from temporalio.client import Client

from engine.platforms import CustomerDataRequest, CustomerRedaction, PrivacyRequest, ShopRedaction
from engine.runtime.settings import Settings
from engine.service import erasure
from engine.service.lookups import normalised_email
from engine.store import models

MAX_DETAIL = 500


@dataclass(frozen=True)
class Done:
    result: Literal["applied", "duplicate", "failed"]
    detail: str


async def carry_out(
    session: Session, client: Client, settings: Settings, *, platform: str,
    request: PrivacyRequest,
) -> Done:  # fmt: skip
    """Do what the request asks (committed). The caller has made sure the delivery is new."""
    if isinstance(request, CustomerDataRequest):
        return _record_data_request(session, platform, request)
    if isinstance(request, CustomerRedaction):
        done = await erasure.erase(session, client, request.email)
        said = _said("customer erased", "nothing was held about the customer", done)
        return Done("applied", f"{said}; the address stays suppressed as a hash"[:MAX_DETAIL])
    return await _erase_shop(session, client, settings, request)


def _record_data_request(session: Session, platform: str, request: CustomerDataRequest) -> Done:
    """One row per platform request id: a request sent again is not listed twice."""
    if request.request_id is not None:
        known = session.exec(
            select(models.DataRequest.id).where(
                models.DataRequest.platform == platform,
                models.DataRequest.request_id == request.request_id,
            )
        ).first()
        if known is not None:
            return Done("duplicate", "data request already recorded")
    session.add(
        models.DataRequest(
            platform=platform,
            request_id=request.request_id,
            email=normalised_email(request.email),
            orders=list(request.orders),
        )
    )
    session.commit()
    return Done(
        "applied",
        f"data request recorded ({len(request.orders)} orders named); answer it with the "
        "customer's export (GET /api/v1/customers/export)",
    )


async def _erase_shop(
    session: Session, client: Client, settings: Settings, request: ShopRedaction
) -> Done:
    ours = shop_domain(settings.shopify_shop)
    theirs = (request.shop_domain or "").strip().lower()
    if ours is not None and theirs != ours:
        return Done(
            "failed",
            f"shop/redact for {theirs or 'no shop'!r} refused: BOOMERANG_SHOPIFY_SHOP is "
            f"{ours!r}; nothing was erased"[:MAX_DETAIL],
        )
    done = await erasure.erase_shop(session, client)
    return Done("applied", _said("shop's customer data erased", "no customer data was held", done))


def shop_domain(setting: str | None) -> str | None:
    """The shop's domain from BOOMERANG_SHOPIFY_SHOP (a `*.myshopify.com` domain, or a URL
    when the Admin API is reached through a proxy); None when unset."""
    if not setting:
        return None
    if "://" in setting:
        return (urlsplit(setting).hostname or "").lower()
    return setting.strip().lower()


def _said(done_text: str, nothing: str, done: erasure.Erasure) -> str:
    """What an erasure removed, as counts by kind of record (never an address)."""
    counts = ", ".join(f"{kind} {count}" for kind, count in sorted(done.removed.items()))
    parts = [f"{done_text}: {counts}" if counts else nothing]
    if done.journeys_cancelled:
        parts.append(f"{done.journeys_cancelled} journeys cancelled")
    if done.journeys_not_reached:
        parts.append(f"{done.journeys_not_reached} journeys not reached (each stops at its next "
                     "action)")  # fmt: skip
    return "; ".join(parts)[:MAX_DETAIL]
