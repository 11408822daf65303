"""Mark the cart as lost, unless it was recovered meanwhile."""

from sqlmodel import col, update

from engine.language.actions import ActionContext, ActionParams, ActionResult, action
from engine.store.models import Cart


class MarkCartLost(ActionParams):
    """Nothing to set: the step marks the journey's cart."""


@action(label="Mark cart lost", category="Carts")
def mark_cart_lost(
    ctx: ActionContext,
    params: MarkCartLost,  # noqa: ARG001 - the registry reads the params model from it
) -> ActionResult:
    cart_id = ctx.request.cart_id
    if cart_id is None:
        return ActionResult(status="skipped", reason="no cart")
    with ctx.session() as session:
        # One conditional UPDATE: a recovery stored meanwhile is never overwritten.
        marked = session.exec(
            update(Cart)
            .where(col(Cart.id) == cart_id, col(Cart.status) != "recovered")
            .values(status="lost")
        )
        if marked.rowcount:
            return ActionResult(status="lost", cart_id=cart_id)
        reason = "recovered" if session.get(Cart, cart_id) else "unknown cart"
        return ActionResult(status="skipped", reason=reason)
