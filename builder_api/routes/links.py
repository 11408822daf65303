"""The pages behind the links in emails: `/r/{token}` (back to the cart) and `/u/{token}`
(one-click unsubscribe, RFC 8058).

Public: not under /api/v1 and without a bearer token, the signed token is the credential.
A broken or forged token gets a friendly 404 page, an expired one a 410 page; never a cart.
Everything a page shows is escaped.
"""

from html import escape
from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from builder_api.deps import (
    OptionalTemporalDep,
    SessionDep,
    SettingsDep,
    limit_link_rate,
    limit_unsubscribe_rate,
)
from engine.emails.formatting import format_money, is_known_locale
from engine.emails.locales import normalise
from engine.emails.signed_links import ExpiredLink, InvalidLink
from engine.language.events import CartItem
from engine.runtime.settings import Settings
from engine.service import links
from engine.service.errors import NotFound
from engine.store.models import Cart, Customer

# Rate limited per client address: the token is the credential, so guessing is slowed.
router = APIRouter(include_in_schema=False)

# Every answer is for one person: never cached, never indexed, the token never leaks onward.
PRIVATE = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src https: http:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {shop}</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; color: #222; max-width: 34rem;
       margin: 4rem auto; padding: 0 1.25rem; }}
h1 {{ font-size: 1.5rem; }}
ul {{ padding-left: 1.2rem; }}
button {{ font: inherit; padding: .6rem 1.4rem; border: 0; border-radius: 6px;
         background: #222; color: #fff; cursor: pointer; }}
.shop {{ color: #666; font-size: .9rem; }}
</style></head>
<body><p class="shop">{shop}</p><h1>{title}</h1>
{body}</body></html>"""


@router.get("/r/{token}", dependencies=[Depends(limit_link_rate)])
async def follow_recovery_link(
    token: str, session: SessionDep, settings: SettingsDep, client: OptionalTemporalDep
) -> Response:
    """Record the click, tell the journey, and lead to the shop's cart."""
    try:
        followed = await links.follow_recovery_link(session, client, settings, token)
    except ExpiredLink:
        return _page(
            settings,
            410,
            "This link has expired",
            "<p>Links in our emails work for a limited time. Your items may still be waiting "
            "in your cart: visit the shop to pick up where you left off.</p>",
        )
    except (InvalidLink, NotFound):
        return _page(
            settings,
            404,
            "This link does not work",
            "<p>It may have been cut short when it was copied. Open it from the email "
            "again, or visit the shop to pick up where you left off.</p>",
        )
    if followed.redirect_to is None:
        customer_id = followed.cart.customer_id
        customer = session.get(Customer, customer_id) if customer_id else None
        return _cart_page(settings, followed.cart, customer.locale if customer else None)
    return RedirectResponse(followed.redirect_to, status_code=302, headers=PRIVATE)


@router.get("/u/{token}", dependencies=[Depends(limit_link_rate)])
def confirm_unsubscribe(token: str, settings: SettingsDep) -> Response:
    """Ask before unsubscribing (link scanners follow GET links; only POST unsubscribes)."""
    try:
        links.read_unsubscribe_link(settings, token)
    except InvalidLink:
        return _unsubscribe_link_broken(settings)
    return _page(
        settings,
        200,
        "Unsubscribe",
        f"<p>Stop receiving emails like this one from {escape(settings.shop_name)}?</p>"
        '<form method="post">'
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
        '<button type="submit">Unsubscribe</button></form>',
    )


@router.post("/u/{token}", dependencies=[Depends(limit_unsubscribe_rate)])
async def unsubscribe(
    token: str, session: SessionDep, settings: SettingsDep, client: OptionalTemporalDep
) -> Response:
    """Unsubscribe at once: the page's button, or a mail client's RFC 8058 one-click POST
    (body `List-Unsubscribe=One-Click`; any body is accepted, the token is what counts)."""
    try:
        await links.unsubscribe(session, client, settings, token)
    except InvalidLink:
        return _unsubscribe_link_broken(settings)
    return _page(
        settings,
        200,
        "You are unsubscribed",
        f"<p>You will get no more of these emails from {escape(settings.shop_name)}.</p>",
    )


def _unsubscribe_link_broken(settings: Settings) -> HTMLResponse:
    return _page(
        settings,
        404,
        "This unsubscribe link does not work",
        "<p>It may have been cut short when it was copied. Open it from the email again, "
        "or reply to the email and ask us to stop.</p>",
    )


def _cart_page(settings: Settings, cart: Cart, customer_locale: str | None) -> HTMLResponse:
    """Where the shop told us nothing about where its carts live: show what was in it, the
    money as the customer writes it when their locale is known (else as the shop does)."""
    locale = settings.shop_locale
    if customer_locale and is_known_locale(customer_locale):
        locale = normalise(customer_locale)
    rows = "".join(
        f"<li>{escape(_item_line(item, cart.currency, locale))}</li>" for item in cart.items
    )
    total = escape(format_money(cart.total, cart.currency, locale))
    return _page(
        settings,
        200,
        "Your cart",
        f"<ul>{rows}</ul><p>Total: <strong>{total}</strong></p>"
        "<p>Visit the shop to complete your order.</p>",
    )


def _item_line(raw: dict[str, Any], currency: str, locale: str) -> str:
    item = CartItem.model_validate(raw)
    name = f"{item.name} ({item.variant})" if item.variant else item.name
    return f"{name} × {item.quantity}: {format_money(item.price, currency, locale)}"


def _page(settings: Settings, status: int, title: str, body: str) -> HTMLResponse:
    """`body` is markup written here; anything from outside is escaped before it gets in."""
    html = PAGE.format(title=escape(title), shop=escape(settings.shop_name), body=body)
    headers = {**PRIVATE, "Content-Security-Policy": PAGE_POLICY}
    return HTMLResponse(html, status_code=status, headers=headers)
