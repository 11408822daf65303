"""A customer with a cart and a guest cart, as the action tests find them in the database."""

from decimal import Decimal

from engine.runtime.settings import Settings
from engine.store.db import session_scope
from engine.store.models import Cart, Customer

LAMP = {"id": "p1", "name": "Lamp", "price": 49.5, "quantity": 2,
        "image_url": "https://cdn.example.com/lamp.jpg", "variant": "Brass"}  # fmt: skip


def seed_carts(settings: Settings, guest_items: list[dict[str, object]] | None = None) -> None:
    """Jane (`cus_1`) with `cart_1` (two lamps, 99.00 EUR) and a guest's `cart_guest`."""
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(id="cus_1", email="jane@example.com", first_name="Jane"))
        session.flush()
        session.add(
            Cart(
                id="cart_1",
                customer_id="cus_1",
                items=[LAMP],
                total=Decimal("99.00"),
                currency="EUR",
                recovery_url="https://shop.example.com/cart/1",
            )
        )
        session.add(Cart(id="cart_guest", items=guest_items or []))
