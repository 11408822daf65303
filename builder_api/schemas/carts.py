"""Carts: what a storefront gets back to rebuild a cart from a recovery link."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

# Amounts travel as JSON numbers, as shops send them in events.
Amount = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]


class RestoredItem(BaseModel):
    id: str
    name: str
    variant: str | None
    quantity: int
    price: Amount
    image_url: str | None


class RestoredCart(BaseModel):
    cart_id: str
    status: str = Field(description="active, abandoned, recovered or lost")
    items: list[RestoredItem]
    subtotal: Amount
    shipping: Amount
    tax: Amount
    total: Amount
    currency: str
