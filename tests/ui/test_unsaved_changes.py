"""Leaving the flow editor with unsaved changes through the app itself (the main navigation,
the browser's Back button) asks first: Stay keeps the edits, Discard and leave drops them."""

import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Locator, Page, expect

from tests.e2e.stack import DevStack
from tests.support import automation
from tests.ui.api import api_client, archive, automation_of, unique
from tests.ui.browser import check_accessibility, nav_link

SignInAs = Callable[[str], Awaitable[Page]]
LEAVE_DIALOG = "Unsaved changes"


async def inactive_reminder(stack: DevStack, marketer_token: str, name: str) -> str:
    """An inactive automation made through the API (wait 1 hour, then a reminder): nothing
    enrols in it and no preset card lists it. Its id."""
    body = {**automation("1h", name=name), "active": False}
    async with api_client(stack, marketer_token) as marketer:
        created = await marketer.post("/api/v1/automations", json=body)
    assert created.status_code == 201, created.text
    automation_id: str = created.json()["id"]
    return automation_id


def first_wait(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Step wait-1: "))


async def make_the_first_wait_2h(page: Page) -> None:
    await first_wait(page).click()
    panel = page.get_by_role("complementary", name="Side panel")
    step = panel.get_by_role("region", name="Step wait-1")
    await step.get_by_label("Wait for", exact=True).fill("2")
    await expect(first_wait(page)).to_have_accessible_name("Step wait-1: Wait 2h")
    await expect(page.get_by_text("Unsaved changes", exact=True)).to_be_visible()


async def test_leaving_the_flow_editor_with_unsaved_changes_asks_first(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    name = unique("Unsaved changes test")
    automation_id = await inactive_reminder(ui_stack, tokens["marketer"], name)
    try:
        page = await sign_in_as("marketer")
        # Opened from the list, as a user does: Back can only be held for history entries the
        # app made itself (one typed into the address bar is unknown to the router).
        await nav_link(page, "Automations").click()
        await page.get_by_role("link", name=name, exact=True).click()
        await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
        await make_the_first_wait_2h(page)

        await nav_link(page, "Automations").click()
        dialog = page.get_by_role("dialog", name=LEAVE_DIALOG)
        await expect(dialog).to_contain_text(
            f"You have unsaved changes to the automation “{name}”. Leave and discard them?"
        )
        await expect(dialog.get_by_role("button", name="Stay", exact=True)).to_be_focused()
        await check_accessibility(page, "the flow editor asking before leaving unsaved changes")
        await dialog.get_by_role("button", name="Stay", exact=True).click()
        await expect(dialog).to_have_count(0)
        await expect(first_wait(page)).to_have_accessible_name("Step wait-1: Wait 2h")
        assert page.url.endswith(f"#/automations/{automation_id}"), page.url

        # The browser's Back button is held the same way (hash routes are in-app navigation).
        await page.evaluate("history.back()")
        await expect(dialog).to_be_visible()
        await dialog.get_by_role("button", name="Stay", exact=True).click()
        await expect(first_wait(page)).to_have_accessible_name("Step wait-1: Wait 2h")
        assert page.url.endswith(f"#/automations/{automation_id}"), page.url

        await nav_link(page, "Automations").click()
        await dialog.get_by_role("button", name="Discard and leave", exact=True).click()
        await expect(page.get_by_role("heading", name="Automations", level=1)).to_be_visible()
        await expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        await expect(dialog).to_have_count(0)

        async with api_client(ui_stack, tokens["admin"]) as admin:
            left = await automation_of(admin, automation_id)
        assert left["draft"] is None
        assert left["definition"]["steps"][0]["duration"] == "1h"
    finally:
        # Off the list the session's other tests picture.
        await archive(ui_stack, tokens["marketer"], automation_id)
