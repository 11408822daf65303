"""A marketer on the Carts page: carts abandoned through the API are found by status and email,
downloaded as CSV, one is opened and its recovery link copied, and a bulk message to the
filter goes from its dry run to the final report."""

import csv
import re
from collections.abc import Awaitable, Callable

from playwright.async_api import Page, expect

from tests.e2e.stack import DevStack
from tests.ui.api import abandon_cart, unique
from tests.ui.browser import check_accessibility, nav_link, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
TEMPLATE = "cart-reminder"  # seeded and published on every new install
DRY_RUN = re.compile(r"(\d+) would be sent; (\d+) skipped")


async def test_marketer_filters_carts_opens_one_and_bulk_messages_the_filter(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs, base_url: str
) -> None:
    # One address domain for this test's carts: "email contains" finds them and nothing else
    # of the session's shared stack.
    domain = f"{unique('carts')}.example"
    cart_ids = [unique(f"cart-ui-{n}") for n in range(3)]
    for n, cart_id in enumerate(cart_ids):
        await abandon_cart(ui_stack, tokens["ingest"], cart_id, f"shopper{n}@{domain}")

    page = await sign_in_as("marketer")
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    await find_the_carts(page, domain, cart_ids)
    await screenshot(page, "carts")
    await download_the_csv(page, cart_ids)
    await open_a_cart_and_copy_its_link(page, cart_ids[0])
    await bulk_message_the_filter(page, len(cart_ids))


async def test_support_reads_carts_and_copies_links_but_sends_nothing(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    domain = f"{unique('carts-support')}.example"
    cart_id = unique("cart-ui-support")
    await abandon_cart(ui_stack, tokens["ingest"], cart_id, f"shopper@{domain}")

    page = await sign_in_as("support")
    await find_the_carts(page, domain, [cart_id])
    await expect(page.get_by_role("heading", name="Bulk message")).to_have_count(0)
    await page.get_by_role("link", name=cart_id, exact=True).click()
    await expect(page.get_by_role("button", name="Copy recovery link")).to_be_visible()
    await expect(page.get_by_role("heading", name="Message this customer")).to_have_count(0)
    await check_accessibility(page, "a cart's page as support")


async def find_the_carts(page: Page, domain: str, cart_ids: list[str]) -> None:
    """Carts → status Abandoned and the email's domain → Apply: exactly the test's carts."""
    await nav_link(page, "Carts").click()
    await expect(page.get_by_role("heading", name="Carts", level=1)).to_be_visible()
    filters = page.get_by_role("form", name="Filter carts")
    await filters.get_by_label("Abandoned", exact=True).check()
    await filters.get_by_label("Email contains").fill(domain)
    await filters.get_by_role("button", name="Apply filters").click()

    await expect(page).to_have_url(re.compile(r"#/carts\?status=abandoned&email="))
    table = page.get_by_role("table", name="Carts")
    for cart_id in cart_ids:
        await expect(table.get_by_role("link", name=cart_id, exact=True)).to_be_visible()
    await expect(table.locator("tbody tr")).to_have_count(len(cart_ids))
    count = "1 cart" if len(cart_ids) == 1 else f"{len(cart_ids)} carts"
    await expect(page.get_by_role("status").filter(has_text=" match")).to_have_text(
        f"{count} match"
    )
    await check_accessibility(page, "the carts list, filtered")


async def download_the_csv(page: Page, cart_ids: list[str]) -> None:
    """The CSV holds the same carts (fetched with the token, saved by the browser)."""
    async with page.expect_download() as downloading:
        await page.get_by_role("link", name="Download CSV").click()
    download = await downloading.value
    assert download.suggested_filename == "carts.csv"
    path = await download.path()
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert sorted(row["id"] for row in rows) == sorted(cart_ids)
    assert {row["status"] for row in rows} == {"abandoned"}


async def open_a_cart_and_copy_its_link(page: Page, cart_id: str) -> None:
    """The cart's page shows its items; "Copy recovery link" puts a fresh link on the
    clipboard and shows it."""
    await page.get_by_role("link", name=cart_id, exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Cart {cart_id}")
    items = page.get_by_role("table", name="Items")
    await expect(items).to_contain_text("Premium Headphones")
    await expect(page.get_by_role("list", name="Timeline")).to_contain_text("Abandoned")
    await check_accessibility(page, "a cart's page")

    await page.get_by_role("button", name="Copy recovery link").click()
    await expect(page.get_by_role("status").filter(has_text="recovery link")).to_contain_text(
        "Copied the recovery link to the clipboard."
    )
    shown = await page.get_by_role("textbox", name="Recovery link").input_value()
    assert shown.startswith("http")
    assert await page.evaluate("navigator.clipboard.readText()") == shown
    await check_accessibility(page, "a cart's page with a recovery link")
    await screenshot(page, "cart")

    await page.get_by_role("link", name="← Carts").click()
    await expect(page).to_have_url(re.compile(r"#/carts\?status=abandoned&email="))


async def bulk_message_the_filter(page: Page, carts: int) -> None:
    """Dry run (who would get it, who is skipped), a confirmation naming the number, then the
    run's report: as many sent as the dry run said."""
    await page.get_by_role("button", name="Message these carts…").click()
    form = page.get_by_role("form", name="Bulk message")
    await form.get_by_label("Template").select_option(TEMPLATE)
    await form.get_by_role("button", name="Check who would get it").click()

    dry_run = page.get_by_role("status").filter(has_text="would be sent")
    await expect(dry_run).to_contain_text(DRY_RUN)
    found = DRY_RUN.search(await dry_run.inner_text())
    assert found is not None
    would_send, skipped = int(found[1]), int(found[2])
    assert would_send + skipped == carts
    assert would_send > 0, await dry_run.inner_text()
    await check_accessibility(page, "the bulk message's dry run")

    customers = "1 customer" if would_send == 1 else f"{would_send} customers"
    await page.get_by_role("button", name=f"Send to {customers}…").click()
    dialog = page.get_by_role("dialog", name=f"Send “{TEMPLATE}” to {customers}?")
    await expect(dialog).to_be_visible()
    await check_accessibility(page, "the bulk message's confirmation")
    await dialog.get_by_role("button", name=f"Send to {customers}", exact=True).click()

    report = page.get_by_role("status").filter(has_text="Bulk message finished.")
    await expect(report).to_contain_text(f"{would_send} sent of {carts}", timeout=60_000)
    await check_accessibility(page, "the bulk message's report")
