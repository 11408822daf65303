"""An admin sets the shop's currency rates on the settings page: saved with the day they were
set, read back through the API, accessible; then removed ("Stop converting")."""

from collections.abc import Awaitable, Callable

from playwright.async_api import Page, expect

from tests.e2e.stack import DevStack
from tests.ui.api import api_client
from tests.ui.browser import check_accessibility, nav_link

SignInAs = Callable[[str], Awaitable[Page]]


async def test_set_the_currency_rates_then_stop_converting(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("admin")
    await nav_link(page, "Settings").click()
    rates = page.get_by_role("region", name="Currency rates")
    async with api_client(ui_stack, tokens["admin"]) as admin:
        try:
            await expect(rates.get_by_text("No rates set")).to_be_visible()
            await rates.get_by_role("button", name="Add a rate").click()
            await rates.get_by_label("Currency of row 1").fill("eur")
            await rates.get_by_label("Rate of EUR").fill("1.08")
            await rates.get_by_role("button", name="Save rates").click()

            await expect(rates.get_by_role("status")).to_have_text("Rates saved.")
            await expect(rates.get_by_text("1 rate. Set on ")).to_be_visible()
            await check_accessibility(page, "the currency rates")
            saved = (await admin.get("/api/v1/settings")).json()["shop"]["currency_rates"]
            assert saved["rates"] == {"EUR": "1.08"}

            await rates.get_by_role("button", name="Stop converting").click()
            await expect(rates.get_by_role("status")).to_contain_text("Rates removed")
            gone = (await admin.get("/api/v1/settings")).json()["shop"]["currency_rates"]
            assert gone is None
        finally:
            # The session's other tests convert nothing.
            restored = await admin.put("/api/v1/settings", json={"currency_rates": None})
            assert restored.status_code == 200, restored.text
