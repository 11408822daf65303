"""Personal data in the browser: support finds a customer whose cart came through the events
API, downloads everything held about them and erases them with the address typed again; an
admin changes a retention period under Settings → Data and privacy and runs the purge now."""

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from playwright.async_api import Locator, Page, expect

from tests.e2e.stack import DevStack
from tests.support import CART_ABANDONED, cart_event
from tests.ui.api import api_client, unique
from tests.ui.browser import check_accessibility, nav_link, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
EVENT_DAYS = "45"  # no environment of the tests uses it


async def abandon_a_named_cart(
    stack: DevStack, ingest_token: str, cart_id: str, email: str
) -> None:
    """The reference `cart_abandoned` event, with what a shop tells of its customer."""
    event = cart_event(CART_ABANDONED, cart_id, email, timestamp=datetime.now(UTC).isoformat())
    event["data"]["customer_timezone"] = "Europe/London"
    event["data"]["customer"] = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "locale": "en-GB",
        "tags": ["vip"],
        "accepts_marketing": True,
        "registered": True,
    }
    async with api_client(stack, ingest_token) as ingest:
        answer = await ingest.post("/api/v1/events", json=event)
    assert answer.status_code == 202, answer.text


async def find_customer(page: Page, email: str) -> Locator:
    """Customers → the address → Find: the region that shows what is held about it."""
    await page.get_by_label("Customer email").fill(email)
    await page.get_by_role("button", name="Find", exact=True).click()
    return page.get_by_role("region", name=email)


async def test_support_finds_exports_and_erases_a_customer(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    email = f"{unique('privacy')}@example.com"
    cart_id = unique("cart-privacy")
    await abandon_a_named_cart(ui_stack, tokens["ingest"], cart_id, email)

    page = await sign_in_as("support")
    await nav_link(page, "Customers").click()
    await expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()

    # An address the API cannot take is refused with its reason, not a blank page.
    await find_customer(page, "not-an-address")
    await expect(page.get_by_role("alert")).to_contain_text(
        "That is not an address Boomerang can look up"
    )

    found = await find_customer(page, email)
    facts = found.get_by_role("definition")
    await expect(facts.first).to_have_text("Ada Lovelace")
    await expect(found).to_contain_text("Europe/London")
    held = found.get_by_role("list", name="What is held")
    await expect(held).to_contain_text("1 customer record")
    await expect(held).to_contain_text("1 cart (with its items)")
    await check_accessibility(page, "the customer page")
    await screenshot(page, "customer-page")

    async with page.expect_download() as downloading:
        await found.get_by_role("button", name="Download export").click()
    download = await downloading.value
    assert download.suggested_filename == f"boomerang-export-{email}.json"
    document: dict[str, Any] = json.loads((await download.path()).read_text(encoding="utf-8"))
    assert document["email"] == email
    assert [cart["id"] for cart in document["carts"]] == [cart_id]

    await found.get_by_role("button", name="Erase this customer").click()
    dialog = page.get_by_role("dialog", name=f"Erase {email}?")
    confirm = dialog.get_by_role("button", name="Erase this customer")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label("Type the address to confirm").fill(email.removesuffix(".com"))
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label("Type the address to confirm").fill(email)
    await check_accessibility(page, "the erasure's confirmation")
    await confirm.click()

    report = found.get_by_role("status")
    await expect(report).to_contain_text("The customer was erased.")
    await expect(report.get_by_role("list", name="Removed")).to_contain_text(
        "1 cart (with its items)"
    )
    await expect(found).to_contain_text("Nothing is held about this address")
    await check_accessibility(page, "the customer page after an erasure")

    async with api_client(ui_stack, tokens["support"]) as support:
        answer = await support.get("/api/v1/customers/summary", params={"email": email})
    answer.raise_for_status()
    summary = answer.json()
    assert summary["erased_before"] is True
    assert summary["customer"] is None
    assert not any(summary["held"].values())


async def test_admin_sets_a_retention_period_and_purges_now(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("admin")
    await nav_link(page, "Settings").click()
    privacy = page.get_by_role("region", name="Data and privacy")
    await expect(privacy.get_by_role("heading", name="Data and privacy")).to_be_visible()

    async with api_client(ui_stack, tokens["admin"]) as admin:
        try:
            await privacy.get_by_label("Event bodies").fill(EVENT_DAYS)
            await privacy.get_by_role("button", name="Save retention periods").click()
            await expect(privacy.get_by_text("Retention periods saved.")).to_be_visible()
            settings = (await admin.get("/api/v1/settings")).json()
            assert settings["shop"]["retention_events"] == int(EVENT_DAYS)
            assert "retention_events" in settings["from_shop"]

            purges = privacy.get_by_role("region", name="Purge runs")
            await purges.get_by_role("button", name="Purge now").click()
            await expect(purges.get_by_role("status")).to_contain_text("Purge finished.")
            runs = purges.get_by_role("table", name="Latest purge runs, newest first")
            await expect(runs.get_by_role("row").nth(1)).to_contain_text("Done")
            requests = privacy.get_by_role("region", name="Data requests")
            await expect(requests.get_by_text("No data requests")).to_be_visible()
            await check_accessibility(page, "Settings with Data and privacy")
        finally:
            restored = await admin.put("/api/v1/settings", json={"retention_events": None})
            assert restored.status_code == 200, restored.text
