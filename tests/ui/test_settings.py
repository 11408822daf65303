"""An admin's settings page: a support token created (its secret shown once), used to sign in
elsewhere, revoked and then refused; and shop settings set here, checked through the API, then
given back to the environment."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from playwright.async_api import Browser, Locator, Page, expect

from tests.e2e.stack import DevStack
from tests.ui.api import api_client, unique
from tests.ui.browser import VIEWPORT, check_accessibility, nav_link, screenshot, sign_in

SignInAs = Callable[[str], Awaitable[Page]]
# The app's words when the API refuses a stored token (builder_ui/src/app/app.tsx).
TOKEN_REJECTED = "That token was not accepted."
# What the admin sets here: values no environment of the tests uses.
CAP_EMAILS, CAP_DAYS, CAP = "3", "2", "3/2d"
THRESHOLD_MINUTES, THRESHOLD = "95", "1h35m"
CHANGED = ("frequency_cap", "inactivity_threshold")


@asynccontextmanager
async def another_browser(browser: Browser, base_url: str) -> AsyncIterator[Page]:
    """A page in a context of its own: another person's browser, with its own stored token."""
    context = await browser.new_context(base_url=base_url, viewport=VIEWPORT)
    try:
        yield await context.new_page()
    finally:
        await context.close()


def setting_row(page: Page, label: str) -> Locator:
    """One setting of the Shop form: its label, its "Set here" badge, its controls."""
    head = page.locator(".setting-row__head").filter(has_text=label)
    return page.locator(".setting-row").filter(has=head)


async def create_support_token(page: Page, name: str) -> str:
    """Create a support token in the form; check its secret is shown once; its value."""
    form = page.get_by_role("form", name="Create a token")
    await form.get_by_label("Token name").fill(name)
    await form.get_by_label("Role").select_option("support")
    await form.get_by_role("button", name="Create token").click()

    shown = page.get_by_role("region", name=f"Token “{name}” (support) created")
    await expect(shown.get_by_role("alert")).to_contain_text("shown only this once")
    secret = await shown.get_by_label("Token value").input_value()
    assert secret.strip() != ""
    await check_accessibility(page, "the settings page showing a new token")
    await shown.get_by_role("button", name="Done").click()
    # Gone for good: nothing on the page holds the value any more.
    await expect(shown).to_have_count(0)
    await expect(page.get_by_label("Token value")).to_have_count(0)
    return secret


async def revoke(page: Page, name: str) -> None:
    row = page.get_by_role("table", name="API tokens").get_by_role("row").filter(has_text=name)
    await expect(row).to_contain_text("Active")
    await row.get_by_role("button", name=f"Revoke {name}").click()
    dialog = page.get_by_role("dialog", name=f"Revoke “{name}”?")
    await expect(dialog).to_contain_text("support token is refused from now on")
    await dialog.get_by_role("button", name="Revoke token").click()
    await expect(dialog).to_have_count(0)
    await expect(row).to_contain_text("Revoked")
    await expect(row.get_by_role("button", name=f"Revoke {name}")).to_have_count(0)


async def test_create_a_support_token_sign_in_with_it_then_revoke_it(
    ui_stack: DevStack, browser: Browser, base_url: str, sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("admin")
    await nav_link(page, "Settings").click()
    await expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    name = unique("support desk")
    secret = await create_support_token(page, name)

    async with another_browser(browser, base_url) as support:
        await sign_in(support, secret)
        await expect(nav_link(support, "Journeys")).to_be_visible()
        await expect(nav_link(support, "Settings")).to_have_count(0)
        await expect(support.get_by_text(name)).to_be_visible()

        await revoke(page, name)

        # The support page's next call (a search) is refused: it is back at the sign-in form.
        await nav_link(support, "Journeys").click()
        await support.get_by_label("Customer email or cart id").fill("someone@example.com")
        await support.get_by_role("button", name="Search", exact=True).click()
        await expect(support.get_by_role("alert")).to_have_text(TOKEN_REJECTED)
        await expect(support.get_by_label("API token")).to_be_visible()
        await expect(support.get_by_role("navigation", name="Main")).to_have_count(0)
    async with api_client(ui_stack, secret) as revoked:
        assert (await revoked.get("/api/v1/me")).status_code == 401


async def shop_settings(admin: httpx.AsyncClient) -> dict[str, Any]:
    answer = await admin.get("/api/v1/settings")
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


async def test_set_the_frequency_cap_and_inactivity_threshold_then_give_them_back(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("admin")
    await nav_link(page, "Settings").click()
    async with api_client(ui_stack, tokens["admin"]) as admin:
        before = await shop_settings(admin)
        try:
            await set_them_here(page)
            after = await shop_settings(admin)
            assert set(CHANGED) <= set(after["from_shop"])
            shop = after["shop"]
            assert (shop["frequency_cap"], shop["inactivity_threshold"]) == (CAP, THRESHOLD)

            await give_them_back(page)
            reset = await shop_settings(admin)
            assert not set(CHANGED) & set(reset["from_shop"])
            assert reset["shop"] == before["shop"]
        finally:
            # Whatever happened above, the session's other tests get the environment's values.
            restored = await admin.put("/api/v1/settings", json=dict.fromkeys(CHANGED))
            assert restored.status_code == 200, restored.text


async def set_them_here(page: Page) -> None:
    """At most 3 emails per 2 days, carts abandoned after 95 minutes: saved, marked set here."""
    cap = page.get_by_role("group", name="Frequency cap")
    threshold = setting_row(page, "Inactivity threshold")
    for row in (cap, threshold):
        await expect(row.get_by_text("Environment default", exact=True)).to_be_visible()

    await cap.get_by_label("Limit emails per customer").check()
    await cap.get_by_label("At most").fill(CAP_EMAILS)
    await cap.get_by_label("Cap window amount").fill(CAP_DAYS)
    await cap.get_by_label("Cap window unit").select_option(label="days")
    await threshold.get_by_label("Inactivity threshold amount").fill(THRESHOLD_MINUTES)
    await threshold.get_by_label("Inactivity threshold unit").select_option(label="minutes")
    await page.get_by_role("button", name="Save", exact=True).click()

    await expect(page.get_by_role("status").filter(has_text="Settings saved.")).to_be_visible()
    for row in (cap, threshold):
        await expect(row.get_by_text("Set here", exact=True)).to_be_visible()
    await expect(cap.get_by_label("At most")).to_have_value(CAP_EMAILS)
    await expect(threshold.get_by_label("Inactivity threshold amount")).to_have_value(
        THRESHOLD_MINUTES
    )
    await check_accessibility(page, "the settings page")
    # The README's picture: the page from its header (saving scrolled down to the button).
    await page.evaluate("window.scrollTo(0, 0)")
    await expect(page.get_by_role("heading", name="Settings", level=1)).to_be_in_viewport()
    await screenshot(page, "settings")


async def give_them_back(page: Page) -> None:
    """ "Use the environment's value" on both, saved: both are the environment's again."""
    cap = page.get_by_role("group", name="Frequency cap")
    threshold = setting_row(page, "Inactivity threshold")
    for row in (cap, threshold):
        await row.get_by_role("button", name="Use the environment's value").click()
        await expect(row.get_by_text("Environment default after saving")).to_be_visible()
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_role("status").filter(has_text="Settings saved.")).to_be_visible()
    for row in (cap, threshold):
        await expect(row.get_by_text("Environment default", exact=True)).to_be_visible()
