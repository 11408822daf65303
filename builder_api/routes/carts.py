"""Carts: the list of carts (and its CSV), a cart's detail and timeline, fresh recovery links;
and a storefront rebuilds a cart from a recovery link's token, on any device.

Messages to carts are in builder_api/routes/cart_messages.py."""

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import ConfigDict, Field

from builder_api.deps import SessionDep, SettingsDep, limit_link_rate, note_for_audit, require
from builder_api.errors import ApiError
from builder_api.schemas.carts import (
    CartDetailOut,
    CartList,
    CartSummaryOut,
    RecoveryLinkOut,
    RecoveryLinkRequest,
    RestoredCart,
    RestoredItem,
)
from builder_api.schemas.errors import ErrorOut
from engine.emails.signed_links import MAX_TOKEN_LENGTH, ExpiredLink, InvalidLink
from engine.language.carts import DEFAULT_SORT, MAX_LIMIT, CartFilter, Sort
from engine.language.events import CartItem
from engine.runtime.settings import Settings
from engine.service import carts, links, recovery_links
from engine.service.auth import Role
from engine.service.carts import SUMMARY_FIELDS
from engine.service.errors import NotFound
from engine.store.db import session_scope

router = APIRouter(tags=["carts"])
CartId = Annotated[str, Path(max_length=200, description="The shop's cart id")]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


class CartCsvQuery(CartFilter):
    model_config = ConfigDict(extra="ignore")

    sort: Sort = Field(DEFAULT_SORT, description="A column, `-` for descending")


class CartListQuery(CartCsvQuery):
    cursor: str | None = Field(None, max_length=1000, description="`next_cursor` of a page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


def _criteria(query: CartCsvQuery) -> CartFilter:
    return CartFilter.model_validate(query.model_dump(include=set(CartFilter.model_fields)))


@router.get(
    "/carts",
    dependencies=[require(Role.support, Role.marketer)],
    responses={200: {"content": {"text/csv": {}}}},
)
def list_carts(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    query: Annotated[CartListQuery, Query()],
) -> Any:
    """List carts by status, customer, abandonment date, automation, value, currency or
    email, sorted, a page at a time (`Accept: text/csv`: all of them as CSV)."""
    criteria = _criteria(query)
    if "text/csv" in request.headers.get("accept", ""):
        session.commit()  # the stream reads in sessions of its own
        return _csv_response(settings, criteria, query.sort)
    found = carts.page(
        session, settings, criteria, sort=query.sort, cursor=query.cursor, limit=query.limit
    )
    return CartList(
        carts=[CartSummaryOut.model_validate(c) for c in found.carts],
        next_cursor=found.next_cursor,
        total=found.total,
    )


@router.get(
    "/carts.csv",
    dependencies=[require(Role.support, Role.marketer)],
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "UTF-8, a header row"}},
)
def carts_csv(
    session: SessionDep, settings: SettingsDep, query: Annotated[CartCsvQuery, Query()]
) -> StreamingResponse:
    """Every cart the filter matches as CSV (UTF-8, a header row), streamed."""
    session.commit()
    return _csv_response(settings, _criteria(query), query.sort)


def _csv_response(settings: Settings, criteria: CartFilter, sort: Sort) -> StreamingResponse:
    return StreamingResponse(
        _csv_rows(settings, criteria, sort),
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="carts.csv"'},
    )


def _csv_rows(settings: Settings, criteria: CartFilter, sort: Sort) -> Iterator[bytes]:
    """The header, then rows a batch at a time (engine.service.carts.every)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SUMMARY_FIELDS)
    with session_scope(settings.resolved_database_url) as session:
        for number, summary in enumerate(carts.every(session, settings, criteria, sort), 1):
            row = CartSummaryOut.model_validate(summary).model_dump(mode="json")
            writer.writerow(["" if row[name] is None else row[name] for name in SUMMARY_FIELDS])
            if number % carts.CSV_BATCH == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode()


@router.get("/carts/{cart_id}", dependencies=[require(Role.support, Role.marketer)])
def get_cart(cart_id: CartId, session: SessionDep, settings: SettingsDep) -> CartDetailOut:
    """Show a cart: items, customer, journeys, messages with their delivery events, orders,
    and everything merged into one timeline, oldest first."""
    return CartDetailOut.model_validate(carts.detail(session, settings, cart_id))


@router.post("/carts/{cart_id}/recovery-link", dependencies=[require(Role.support, Role.marketer)])
def create_recovery_link(
    request: Request,
    cart_id: CartId,
    session: SessionDep,
    settings: SettingsDep,
    body: RecoveryLinkRequest | None = None,
) -> RecoveryLinkOut:
    """Make a fresh signed link back to the cart, with a new single-use discount code from the
    shop's discount provider if `discount_percent` is given."""
    body = body or RecoveryLinkRequest()
    link = recovery_links.make(
        session,
        settings,
        cart_id,
        discount_percent=body.discount_percent,
        discount_expires_in=body.discount_expires_in,
    )
    note_for_audit(request, cart_id, discount_percent=body.discount_percent)
    return RecoveryLinkOut.model_validate(link)


@router.get(
    "/carts/{cart_id}/restore",
    # Rate limited per client address: the link's token is the credential.
    dependencies=[Depends(limit_link_rate)],
    responses={410: {"model": ErrorOut}, 429: {"model": ErrorOut}},
)
def restore_cart(
    cart_id: Annotated[str, Path(max_length=200, description="The shop's cart id")],
    token: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TOKEN_LENGTH,
            description="The token of a recovery link for this cart (`/r/{token}`)",
        ),
    ],
    session: SessionDep,
    settings: SettingsDep,
) -> RestoredCart:
    """Return a cart's items and totals to whoever holds a recovery link for it (no bearer
    token: the link's token is the credential, and a cart is never readable by id alone)."""
    try:
        cart = links.restore_cart(session, settings, cart_id, token)
    except ExpiredLink as error:
        raise ApiError(410, "link_expired", "this recovery link has expired") from error
    except (InvalidLink, NotFound) as error:
        raise ApiError(404, "not_found", f"no cart {cart_id} for this token") from error
    return RestoredCart(
        cart_id=cart.id,
        status=cart.status,
        items=[_item(raw) for raw in cart.items],
        subtotal=cart.subtotal,
        shipping=cart.shipping,
        tax=cart.tax,
        total=cart.total,
        currency=cart.currency,
    )


def _item(raw: dict[str, Any]) -> RestoredItem:
    item = CartItem.model_validate(raw)
    return RestoredItem(
        id=item.id,
        name=item.name,
        variant=item.variant,
        quantity=item.quantity,
        price=item.price,
        image_url=item.image_url,
    )
