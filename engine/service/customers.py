"""What shops tell us about a customer (`customer` in cart and order events, the platforms'
customer webhooks), kept on the customer's row."""

from engine.language.events import ShopCustomer
from engine.store import models


def learn(customer: models.Customer, told: ShopCustomer | None) -> None:
    """Keep each fact the shop sent; a fact left out (None) keeps what we knew."""
    if told is None:
        return
    for fact in ("first_name", "last_name", "locale", "accepts_marketing", "registered"):
        if (value := getattr(told, fact)) is not None:
            setattr(customer, fact, value)
    if told.tags is not None:
        customer.tags = sorted({tag.strip() for tag in told.tags if tag.strip()})
