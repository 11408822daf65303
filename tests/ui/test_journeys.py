"""Support in the browser: a cart abandoned through the API starts a journey; support finds it
by the customer's email, reads where it stands, pauses and resumes it, and the engine agrees."""

import re
from collections.abc import Awaitable, Callable

import httpx
from playwright.async_api import Locator, Page, expect

from tests.e2e.stack import DevStack
from tests.support import automation
from tests.ui.api import (
    abandon_cart,
    api_client,
    journey_detail,
    journey_of,
    stop_enrolling,
    unique,
)
from tests.ui.browser import check_accessibility, nav_link, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
# The automation starts with a 2-hour wait: the journey is still on it (`wait-1`) for as long
# as a test looks at it.
WAIT = "2h"
FIRST_STEP = "wait-1"


def fact(page: Page, term: str) -> Locator:
    """The value shown beside a term of the journey's facts (`Current step`, `Status`, ...)."""
    return page.locator("dt", has_text=re.compile(f"^{term}$")).locator(
        "xpath=following-sibling::dd[1]"
    )


async def confirm(page: Page, title: str, button: str) -> None:
    """Answer a confirmation dialog with its confirming button; it closes when done."""
    dialog = page.get_by_role("dialog", name=title)
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name=button, exact=True).click()
    await expect(dialog).to_have_count(0)


async def active_reminder(stack: DevStack, marketer_token: str, name: str) -> str:
    """Create an active automation as a marketer would through the API: wait 2 hours, then a
    reminder. Not from a preset, so the gallery's cards (pictured in the README) do not list
    it as installed. Its id."""
    async with api_client(stack, marketer_token) as marketer:
        created = await marketer.post("/api/v1/automations", json=automation(WAIT, name=name))
    assert created.status_code == 201, created.text
    automation_id: str = created.json()["id"]
    return automation_id


def announced(page: Page, text: str) -> Locator:
    """A status message (read out by screen readers) saying `text`."""
    return page.get_by_role("status").filter(has_text=text)


async def test_support_finds_a_journey_by_email_then_pauses_and_resumes_it(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    name = unique("Journeys test reminder")
    cart_id = unique("cart-ui-journey")
    email = f"{unique('shopper')}@example.com"
    automation_id = await active_reminder(ui_stack, tokens["marketer"], name)
    try:
        await abandon_cart(ui_stack, tokens["ingest"], cart_id, email)
        async with api_client(ui_stack, tokens["support"]) as support:
            # The search lists what the engine lists: wait until that shows the first step.
            journey = await journey_of(support, cart_id, automation_id, at_step=FIRST_STEP)
            journey_id = journey["id"]
            page = await sign_in_as("support")
            await find_and_read_the_journey(page, name, cart_id, email)
            await pause_and_resume(page, support, journey_id)
    finally:
        await stop_enrolling(ui_stack, tokens["marketer"], automation_id)


async def find_and_read_the_journey(page: Page, name: str, cart_id: str, email: str) -> None:
    """Search by the customer's email, then open the journey and read where it stands."""
    await nav_link(page, "Journeys").click()
    await page.get_by_label("Customer email or cart id").fill(email)
    await page.get_by_role("button", name="Search", exact=True).click()
    results = page.get_by_role("table", name="Journeys")
    row = results.get_by_role("row").filter(has_text=name)
    await expect(row).to_have_count(1)
    await expect(row).to_contain_text(cart_id)
    await expect(row).to_contain_text("running")
    await expect(row).to_contain_text(FIRST_STEP)
    await check_accessibility(page, "the journeys search with results")
    await screenshot(page, "journeys-search")

    await row.get_by_role("link", name=cart_id).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Journey of {cart_id}")
    await expect(fact(page, "Automation")).to_contain_text(f"{name} · version 1")
    await expect(fact(page, "Status")).to_have_text("running")
    await expect(fact(page, "Current step")).to_have_text(FIRST_STEP)
    # The wait ends 2 hours after the abandonment: "in 1 h 59 min" (or "in 2 h" right away).
    await expect(fact(page, "Next wake-up")).to_contain_text(re.compile(r"\(in [12] h"))
    await check_accessibility(page, "a running journey")
    await screenshot(page, "journey")


async def pause_and_resume(page: Page, support: httpx.AsyncClient, journey_id: str) -> None:
    """On the journey's page: pause it, then resume it, each confirmed; the engine agrees."""
    await page.get_by_role("button", name="Pause journey").click()
    await check_accessibility(page, "a journey with its pause confirmation open")
    await confirm(page, "Pause this journey?", "Pause")
    await expect(announced(page, "Journey paused.")).to_be_visible()
    await expect(fact(page, "Status")).to_have_text("paused")
    await expect(page.get_by_role("button", name="Pause journey")).to_be_disabled()
    paused = await journey_detail(support, journey_id)
    assert (paused["status"], paused["paused"]) == ("running", True)

    await page.get_by_role("button", name="Resume journey").click()
    await confirm(page, "Resume this journey?", "Resume")
    await expect(announced(page, "Journey resumed.")).to_be_visible()
    await expect(fact(page, "Status")).to_have_text("running")
    await expect(fact(page, "Current step")).to_have_text(FIRST_STEP)
    await expect(page.get_by_role("button", name="Resume journey")).to_be_disabled()
    resumed = await journey_detail(support, journey_id)
    assert (resumed["status"], resumed["paused"], resumed["current_step"]) == (
        "running",
        False,
        FIRST_STEP,
    )
