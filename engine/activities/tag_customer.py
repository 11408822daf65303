"""Add a tag to the cart's customer (conditions can then test `customer.tags`)."""

from pydantic import Field
from sqlmodel import select

from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.store.models import Cart, Customer


class TagCustomer(ActionParams):
    tag: str = Field(title="Tag", pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")


@action(label="Tag customer", category="Customers")
def tag_customer(ctx: ActionContext, params: TagCustomer) -> ActionResult:
    with ctx.session() as session:
        cart = session.get(Cart, ctx.request.cart_id) if ctx.request.cart_id else None
        if cart is None or cart.customer_id is None:
            return ActionResult(status="skipped", reason="no known customer for this cart")
        # Locked (on PostgreSQL; SQLite writes one at a time): two journeys tagging the
        # same customer at once must not drop each other's tag.
        customer = session.exec(
            select(Customer).where(Customer.id == cart.customer_id).with_for_update()
        ).one()
        tags = customer.tags or []
        if params.tag not in tags:
            # A new list: SQLAlchemy does not notice a JSON list changed in place.
            customer.tags = [*tags, params.tag]
            session.add(customer)
        return ActionResult(status="tagged", tag=params.tag, customer_id=customer.id)
