"""The storefront snippet in real Chromium: a small shop (tests/ui/storefront/) served on
another origin loads /sdk/boomerang.js from the running Boomerang, reports its cart and its
shopper, and on the recovery landing page gets the cart back, into the page or into a
WooCommerce cart."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.async_api import Page, expect
from sqlmodel import select

from engine.runtime.settings import Settings
from engine.service import links
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, Event
from tests.e2e.stack import DevStack, free_port
from tests.ui.api import unique
from tests.ui.browser import make_token

PAGES = Path(__file__).parent / "storefront"
STORE_API = "/wp-json/wc/store/v1"
ITEMS = [
    {"id": "42", "name": "Blue mug", "price": "12.50", "quantity": 2},
    {"id": "7", "name": "Red scarf", "price": "30.00", "quantity": 1},
]


class Storefront:
    """A shop on an origin of its own: the pages of tests/ui/storefront, and a stand-in for
    WooCommerce's Store API (the shop's side, not ours: a fake is what a test of our adapter
    can run against). Like the real one, it refuses a cart write without the current `Nonce`
    and sends a new nonce with every answer."""

    def __init__(self, boomerang: str, key: str) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.boomerang, self.key = boomerang, key
        self.nonce = 1
        self.cart: list[dict[str, Any]] = []  # what add-item put in, in order
        self.refused: list[str] = []  # add-item calls without the current nonce

    def url(self, page: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/{page}"

    @contextmanager
    def serving(self) -> Iterator[None]:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield
        finally:
            server.shutdown()
            server.server_close()
            thread.join()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # quiet

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == f"{STORE_API}/cart":
                    self._json(200, {"items": shop.cart})
                    return
                page = PAGES / path.lstrip("/")
                if page.parent != PAGES or not page.is_file():
                    self._json(404, {"code": "not_found"})
                    return
                html = page.read_text().replace("{{BOOMERANG}}", shop.boomerang)
                self._send(200, "text/html; charset=utf-8", html.replace("{{KEY}}", shop.key))

            def do_POST(self) -> None:
                if urlsplit(self.path).path != f"{STORE_API}/cart/add-item":
                    self._json(404, {"code": "not_found"})
                    return
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Nonce") != f"nonce-{shop.nonce}":
                    shop.refused.append(str(self.headers.get("Nonce")))
                    self._json(401, {"code": "woocommerce_rest_invalid_nonce"})
                    return
                shop.cart.append({"id": body["id"], "quantity": body["quantity"]})
                shop.nonce += 1
                self._json(201, {"items": shop.cart})

            def _json(self, status: int, body: Any) -> None:
                self._send(status, "application/json", json.dumps(body))

            def _send(self, status: int, content_type: str, text: str) -> None:
                content = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Nonce", f"nonce-{shop.nonce}")
                self.end_headers()
                self.wfile.write(content)

        return Handler


def stack_settings(stack: DevStack) -> Settings:
    """The running stack's database and link secret, to look at what it stored."""
    return Settings(data_dir=stack.data_dir, database_url=f"sqlite:///{stack.database}")


def allow_origins(stack: DevStack, origins: list[str] | None) -> None:
    answer = stack.http.put("/api/v1/settings", json={"storefront_origins": origins})
    assert answer.status_code == 200, answer.text


@pytest.fixture
def shop(ui_stack: DevStack) -> Iterator[Storefront]:
    """The shop, its origin allowed in the stack's settings (as an admin sets it at run time)
    for the test only: the session's other tests share the stack."""
    key = make_token(ui_stack, "storefront", "test shop pages")
    shop = Storefront(f"http://127.0.0.1:{ui_stack.port}", key)
    with shop.serving():
        allow_origins(ui_stack, [shop.origin])
        try:
            yield shop
        finally:
            allow_origins(ui_stack, None)


def console_of(page: Page) -> list[str]:
    """What the page logs (the snippet's warnings), to show when a test fails."""
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    return messages


REPORT_CART = """async ([cartId, items]) => {
    // A burst, as a shop's cart page sends while the shopper changes quantities: the snippet
    // sends the last state once.
    const first = Boomerang.cart({cart_id: cartId, items: items.slice(0, 1), total: "25.00",
                                  currency: "EUR"});
    const second = Boomerang.cart({cart_id: cartId, items: items, subtotal: "55.00",
                                   total: "55.00", currency: "EUR"});
    return Promise.all([first, second]);
}"""


async def test_the_snippet_reports_the_cart_and_the_shopper_from_the_shops_pages(
    page: Page, ui_stack: DevStack, shop: Storefront
) -> None:
    cart_id = unique("storefront-cart")
    console = console_of(page)
    await page.goto(shop.url("index.html"))

    reported = await page.evaluate(REPORT_CART, [cart_id, ITEMS])
    await page.get_by_label("First name").fill("Ada")
    await page.get_by_label("Email").fill("ada.storefront@example.com")
    await page.get_by_label("Email").press("Tab")  # the shop identifies on `change`
    identified = await page.evaluate("window.identified")
    again = await page.evaluate("Boomerang.identify('ada.storefront@example.com', {})")

    assert reported == [True, True], console
    assert identified is True, console
    assert again is False, "the same address is sent once"
    with session_scope(stack_settings(ui_stack).resolved_database_url) as session:
        cart = session.get(Cart, cart_id)
        assert cart is not None
        customer = session.get(Customer, cart.customer_id)
        events = session.exec(select(Event.type).where(Event.cart_id == cart_id)).all()
        assert [(item["name"], item["quantity"]) for item in cart.items] == [
            ("Blue mug", 2),
            ("Red scarf", 1),
        ]
        assert str(cart.total) == "55.00"
        assert customer is not None
        assert (customer.email, customer.first_name) == ("ada.storefront@example.com", "Ada")
        assert list(events) == ["cart_updated", "cart_updated"], "the burst, then the address"


async def test_pages_of_another_origin_cannot_use_the_key(
    page: Page, ui_stack: DevStack, shop: Storefront
) -> None:
    cart_id = unique("storefront-elsewhere")
    # `localhost` is another origin than the allowed `127.0.0.1`, with the same key.
    await page.goto(shop.url("index.html", host="localhost"))

    reported = await page.evaluate(REPORT_CART, [cart_id, ITEMS])

    assert reported == [False, False]
    with session_scope(stack_settings(ui_stack).resolved_database_url) as session:
        assert session.get(Cart, cart_id) is None


async def report_cart(page: Page, shop: Storefront, cart_id: str) -> None:
    await page.goto(shop.url("index.html"))
    assert await page.evaluate(REPORT_CART, [cart_id, ITEMS]) == [True, True]


def landing(shop: Storefront, stack: DevStack, page: str, cart_id: str) -> str:
    """The landing page a recovery link leads to, as BOOMERANG_STOREFRONT_CART_URL
    `https://shop/landing?cart={cart_id}&token={token}` makes it."""
    token = links.recovery_token(stack_settings(stack), cart_id, f"journey:x:{cart_id}:email-1")
    return shop.url(f"{page}?cart={quote(cart_id, safe='')}&token={token}")


async def test_the_landing_page_gets_the_recovered_cart(
    page: Page, ui_stack: DevStack, shop: Storefront
) -> None:
    cart_id = unique("storefront-restore")
    await report_cart(page, shop, cart_id)

    await page.goto(landing(shop, ui_stack, "landing.html", cart_id))

    await expect(page.locator("#items li")).to_have_text(["Blue mug × 2", "Red scarf × 1"])
    await expect(page.locator("#total")).to_have_text("Total: 55.00 EUR")


async def test_the_woocommerce_adapter_refills_the_shops_cart(
    page: Page, ui_stack: DevStack, shop: Storefront
) -> None:
    cart_id = unique("storefront-woo")
    await report_cart(page, shop, cart_id)

    await page.goto(landing(shop, ui_stack, "woo-landing.html", cart_id))

    # The adapter leads to the shop's cart page once the items are in.
    await expect(page).to_have_url(shop.url("cart.html"))
    await expect(page.locator("#cart li")).to_have_text(["Product 42 × 2", "Product 7 × 1"])
    assert shop.cart == [{"id": 42, "quantity": 2}, {"id": 7, "quantity": 1}]
    assert shop.refused == [], "every add-item carried the nonce of the answer before it"
