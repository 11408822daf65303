"""An admin sets the shop's currency rates on the settings page: saved with the day they were
set, read back through the API, accessible; then removed ("Stop converting"). A marketer gives
a condition on the cart total one amount per currency."""

import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Page, expect

from tests.e2e.stack import DevStack
from tests.ui.api import api_client, archive, unique
from tests.ui.browser import check_accessibility, nav_link
from tests.ui.test_flow_editor import add_step, create_automation, side_panel, step_node

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


async def test_a_condition_on_the_cart_total_takes_one_amount_per_currency(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("marketer")
    automation_id = await create_automation(page, unique("Per currency"))
    try:
        await add_step(page, "Add a step after wait-1", "Condition")
        condition = step_node(page, "condition-1")
        await condition.click()
        panel = side_panel(page)
        await expect(condition).to_have_accessible_name(re.compile(r"If cart.total ≥ 50"))

        await panel.get_by_label("One amount per currency").check()
        await panel.get_by_label("Currency", exact=True).fill("EUR")
        await panel.get_by_role("button", name="Add a currency").click()
        await panel.get_by_label("Currency", exact=True).nth(1).fill("KRW")
        await panel.get_by_label("Amount in KRW").fill("60000")

        await expect(condition).to_have_accessible_name(
            re.compile(r"If cart.total ≥ 50 EUR / 60000 KRW")
        )
        await check_accessibility(page, "a condition with one amount per currency")
    finally:
        await archive(ui_stack, tokens["marketer"], automation_id)
