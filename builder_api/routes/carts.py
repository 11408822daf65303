"""Carts: a storefront rebuilds a cart from a recovery link's token, on any device."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from builder_api.deps import SessionDep, SettingsDep
from builder_api.errors import ApiError
from builder_api.schemas.carts import RestoredCart, RestoredItem
from builder_api.schemas.errors import ErrorOut
from engine.emails.signed_links import MAX_TOKEN_LENGTH, ExpiredLink, InvalidLink
from engine.language.events import CartItem
from engine.service import links
from engine.service.errors import NotFound

router = APIRouter(prefix="/carts", tags=["carts"])


@router.get("/{cart_id}/restore", responses={410: {"model": ErrorOut}})
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
