"""Settings → Integrations as an admin sees it: a platform not connected says so and why, a
connected one answers a test event and shows it as its last delivery, and the storefront's
allowed origins are set here (checked through the API, then given back)."""

import re
from collections.abc import Awaitable, Callable

import httpx
from playwright.async_api import Page, expect

from tests.e2e.stack import DevStack
from tests.ui.api import api_client, unique
from tests.ui.browser import check_accessibility, nav_link
from tests.ui.conftest import WOOCOMMERCE_SECRET

SignInAs = Callable[[str], Awaitable[Page]]


async def open_integrations(page: Page) -> None:
    await nav_link(page, "Settings").click()
    tabs = page.get_by_role("navigation", name="Settings sections")
    await tabs.get_by_role("link", name="Integrations").click()
    await expect(page.get_by_role("heading", name="Storefront", exact=True)).to_be_visible()


async def test_read_the_platforms_send_a_test_event_and_set_an_origin(
    ui_stack: DevStack, base_url: str, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("admin")
    await open_integrations(page)

    shopify = page.get_by_role("region", name="Shopify")
    await expect(shopify.get_by_text("Not configured", exact=True)).to_be_visible()
    await expect(shopify.get_by_role("textbox", name="Shopify webhook URL")).to_have_value(
        f"{base_url}/api/v1/integrations/shopify/webhooks"
    )
    await expect(shopify).to_contain_text("not set: set BOOMERANG_SHOPIFY_WEBHOOK_SECRET")

    woo = page.get_by_role("region", name="WooCommerce")
    await expect(woo.get_by_text("Configured", exact=True)).to_be_visible()
    await expect(page.locator("body")).not_to_contain_text(WOOCOMMERCE_SECRET)
    await woo.get_by_role("button", name="Send a test event to WooCommerce's webhook").click()
    answer = woo.get_by_role("status").filter(has_text="Test event")
    # The stub mapping of this branch ignores every topic; a real one applies the sample.
    said = re.compile(r"Test event order\.updated: (applied|ignored) — ")
    await expect(answer).to_have_text(said)
    last = woo.locator("dt", has_text="Last delivery").locator("xpath=following-sibling::dd[1]")
    await expect(last).to_contain_text("order.updated")
    await check_accessibility(page, "the Integrations tab after a test event")

    origin = f"https://{unique('shop')}.example.com"
    async with api_client(ui_stack, tokens["admin"]) as admin:
        try:
            await set_origin(page, origin)
            assert await shop_origins(admin) == [origin]
        finally:
            restored = await admin.put("/api/v1/settings", json={"storefront_origins": None})
            assert restored.status_code == 200, restored.text


async def set_origin(page: Page, origin: str) -> None:
    """A path is refused with the API's reason; the bare origin is saved."""
    storefront = page.get_by_role("region", name="Storefront", exact=True)
    field = storefront.get_by_role(
        "textbox", name="Origins the snippet may post from, one per line"
    )
    await field.fill(f"{origin}/cart")
    await storefront.get_by_role("button", name="Save origins").click()
    await expect(storefront.get_by_role("alert")).to_contain_text("is not an origin")

    await field.fill(origin)
    await storefront.get_by_role("button", name="Save origins").click()
    await expect(storefront.get_by_role("status").filter(has_text="Origins saved.")).to_be_visible()
    await expect(storefront).to_contain_text("Set here.")


async def shop_origins(admin: httpx.AsyncClient) -> list[str]:
    answer = await admin.get("/api/v1/settings")
    answer.raise_for_status()
    origins: list[str] = answer.json()["shop"]["storefront_origins"]
    return origins
