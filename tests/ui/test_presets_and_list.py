"""A marketer's first minutes: install the three-step sequence from the preset gallery, activate
it from its card, find it active in the automations list, then deactivate it, pausing the
journey it started."""

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from playwright.async_api import Locator, Page, expect

from engine.language.presets import THREE_STEP
from tests.e2e.stack import DevStack
from tests.support import eventually
from tests.ui.api import (
    abandon_cart,
    api_client,
    archive,
    journey_detail,
    journey_of,
    stop_enrolling,
    unique,
)
from tests.ui.browser import check_accessibility, nav_link, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
# The list's cells after the name (a row header): status, version, trigger, running journeys.
RUNNING_JOURNEYS_CELL = 3


async def overview(api: httpx.AsyncClient, automation_id: str) -> dict[str, Any]:
    """The automation as the list shows it (status, version, running journeys)."""
    answer = await api.get("/api/v1/automations")
    answer.raise_for_status()
    listed: list[dict[str, Any]] = answer.json()
    return next(automation for automation in listed if automation["id"] == automation_id)


def row_of(page: Page, automation_id: str) -> Locator:
    """The list's row of one automation, by its link: an installed preset keeps the preset's
    name, which other tests of the session may have installed too."""
    link = page.locator(f'a[href="#/automations/{automation_id}"]')
    return page.get_by_role("table", name="Automations").get_by_role("row").filter(has=link)


async def install_and_activate_from_the_gallery(page: Page) -> str:
    """Install the three-step sequence from its card, then "Activate now"; the automation's id."""
    await nav_link(page, "Presets").click()
    card = page.get_by_role("article", name=THREE_STEP.name)
    await expect(card).to_contain_text(THREE_STEP.description)
    await check_accessibility(page, "the preset gallery")
    await screenshot(page, "gallery")

    await card.get_by_role("button", name=f"Install {THREE_STEP.name}").click()
    progress = card.get_by_role("status")
    await expect(progress).to_contain_text(f"Installed “{THREE_STEP.name}”. It is inactive")
    href = await progress.get_by_role("link", name="Open", exact=True).get_attribute("href")
    assert href is not None and href.startswith("#/automations/"), href
    automation_id = href.removeprefix("#/automations/")

    await progress.get_by_role("button", name="Activate now").click()
    await expect(progress).to_contain_text(f"“{THREE_STEP.name}” is active")
    await check_accessibility(page, "the preset gallery after an install")
    return automation_id


async def test_install_a_preset_activate_it_then_deactivate_it_pausing_its_journeys(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("marketer")
    automation_id = await install_and_activate_from_the_gallery(page)
    cart_id = unique("cart-ui-list")
    try:
        async with api_client(ui_stack, tokens["admin"]) as admin:
            installed = await overview(admin, automation_id)
            assert (installed["preset"], installed["status"]) == (THREE_STEP.key, "active")
            # One running journey, so deactivating has something to pause.
            await abandon_cart(ui_stack, tokens["ingest"], cart_id, f"{cart_id}@example.com")
            journey_id = (await journey_of(admin, cart_id, automation_id))["id"]
            await eventually(
                lambda: overview(admin, automation_id),
                lambda found: found["running_journeys"] == 1,
            )

            await nav_link(page, "Automations").click()
            await see_it_active_then_deactivate_it_pausing_its_journey(page, automation_id)

            after = await overview(admin, automation_id)
            assert (after["status"], after["version"]) == ("inactive", 1)
            assert (await journey_detail(admin, journey_id))["paused"] is True
    finally:
        await stop_enrolling(ui_stack, tokens["marketer"], automation_id)
        await archive(ui_stack, tokens["marketer"], automation_id)  # the preset's name is free


async def see_it_active_then_deactivate_it_pausing_its_journey(
    page: Page, automation_id: str
) -> None:
    row = row_of(page, automation_id)
    await expect(row).to_have_count(1)
    await expect(row.get_by_role("cell").first).to_have_text("Active")
    await expect(row.get_by_role("cell").nth(1)).to_have_text("v1")
    await expect(row.get_by_role("cell").nth(RUNNING_JOURNEYS_CELL)).to_have_text("1")
    await check_accessibility(page, "the automations list")
    await screenshot(page, "list")

    name = THREE_STEP.name
    await row.get_by_role("button", name=f"Deactivate {name}").click()
    dialog = page.get_by_role("dialog", name=f"Deactivate “{name}”?")
    await expect(dialog).to_contain_text("1 journey is running.")
    await expect(dialog.get_by_label("Let them finish")).to_be_checked()
    await dialog.get_by_label("Pause them").check()
    await check_accessibility(page, "the automations list with the deactivate dialog open")
    await dialog.get_by_role("button", name="Deactivate", exact=True).click()

    await expect(dialog).to_have_count(0)
    summary = page.get_by_role("status").filter(has_text="is inactive")
    await expect(summary).to_have_text(f"“{name}” is inactive. 1 journey paused.")
    await expect(row.get_by_role("cell").first).to_have_text("Inactive")
    # Its paused journey still runs: the row now offers to stop it rather than to deactivate.
    await expect(row.get_by_role("button", name=f"Stop journeys of {name}")).to_be_visible()


async def test_install_a_preset_under_a_typed_name_then_find_it_by_that_name_in_the_list(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("marketer")
    await nav_link(page, "Presets").click()
    card = page.get_by_role("article", name=THREE_STEP.name)
    name_field = card.get_by_label("Name (optional)")
    await expect(name_field).to_have_attribute("placeholder", THREE_STEP.name)

    # The API's limit on names shows on the card, and the typed name stays to be corrected.
    await name_field.fill("x" * 201)
    await card.get_by_role("button", name=f"Install {THREE_STEP.name}").click()
    await expect(card.get_by_role("alert")).to_contain_text("at most 200 characters")
    await expect(name_field).to_have_attribute("aria-invalid", "true")
    await check_accessibility(page, "a preset card refusing a name")

    name = unique("Spring sale")
    await name_field.fill(f"  {name}  ")  # trimmed before it is sent
    await name_field.press("Enter")
    progress = card.get_by_role("status")
    await expect(progress).to_contain_text(f"Installed “{name}”. It is inactive")
    await expect(card.get_by_role("alert")).to_have_count(0)
    await expect(name_field).to_have_value("")
    href = await progress.get_by_role("link", name="Open", exact=True).get_attribute("href")
    assert href is not None and href.startswith("#/automations/"), href
    automation_id = href.removeprefix("#/automations/")
    try:
        # The card lists it by its name, apart from any other install of the same preset.
        await expect(card.get_by_role("link", name=name, exact=True)).to_have_attribute(
            "href", href
        )

        await nav_link(page, "Automations").click()
        row = row_of(page, automation_id)
        await expect(row.get_by_role("rowheader")).to_have_text(name)
        await expect(row.get_by_role("cell").first).to_have_text("Inactive")
    finally:
        await archive(ui_stack, tokens["marketer"], automation_id)
