"""The UI adapts to the token's role: support reads and operates, never edits; an admin sees
every page; an ingest token cannot sign in."""

import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Page, expect

from tests.ui.browser import check_accessibility, nav_link, screenshot, submit_token

# Installed inactive on a fresh data dir (engine.language.presets.INSTALLED_ON_FIRST_START).
FIRST_START_AUTOMATION = "Abandoned cart — single reminder"
# Buttons only an editing role may see (support may deactivate, never activate or edit).
EDITING_BUTTONS = re.compile(
    r"^(New automation|Install|Publish|Save draft|Activate|Duplicate|Archive)"
)
SignInAs = Callable[[str], Awaitable[Page]]


async def _automations_loaded(page: Page) -> None:
    """Wait for the list itself, so a check for missing controls does not pass on a spinner."""
    await expect(page.get_by_role("heading", name="Automations", level=1)).to_be_visible()
    await expect(page.get_by_role("link", name=FIRST_START_AUTOMATION).first).to_be_visible()


async def test_support_sees_no_editing_controls(sign_in_as: SignInAs) -> None:
    page = await sign_in_as("support")
    await _automations_loaded(page)

    for allowed in ("Automations", "Journeys"):
        await expect(nav_link(page, allowed)).to_be_visible()
    for hidden in ("Dashboard", "Presets", "Templates", "Settings"):
        await expect(nav_link(page, hidden)).to_have_count(0)
    await expect(page.get_by_role("button", name=EDITING_BUTTONS)).to_have_count(0)
    await check_accessibility(page, "the automations list (support)")
    await screenshot(page, "automations-list-support")

    await page.get_by_role("link", name=FIRST_START_AUTOMATION).first.click()
    await expect(page).to_have_url(re.compile(r"#/automations/[^/]+$"))
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.get_by_role("button", name=EDITING_BUTTONS)).to_have_count(0)
    await check_accessibility(page, "an automation (support)")


async def test_admin_sees_every_page(sign_in_as: SignInAs) -> None:
    page = await sign_in_as("admin")
    # Admins and marketers land on the dashboard (tests/ui/test_results.py); support does not.
    await expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    await nav_link(page, "Automations").click()
    await _automations_loaded(page)

    for label in ("Dashboard", "Automations", "Presets", "Templates", "Journeys", "Settings"):
        await expect(nav_link(page, label)).to_be_visible()
    await check_accessibility(page, "the automations list (admin)")
    await screenshot(page, "automations-list")


async def test_an_ingest_token_is_refused_at_sign_in(page: Page, tokens: dict[str, str]) -> None:
    await submit_token(page, tokens["ingest"])

    await expect(page.get_by_role("alert")).to_contain_text("ingest token")
    await expect(page.get_by_label("API token")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    await check_accessibility(page, "the sign-in page after a refusal")
    await screenshot(page, "sign-in-refused")


async def test_an_unknown_token_is_refused_at_sign_in(page: Page) -> None:
    await submit_token(page, "not-a-token")

    await expect(page.get_by_role("alert")).to_contain_text("not accepted")
    await expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
