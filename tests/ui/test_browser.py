"""The harness itself: the accessibility check must fail on a page that deserves it."""

import pytest
from playwright.async_api import Page

from tests.ui.browser import check_accessibility


async def test_the_accessibility_check_lists_serious_violations(page: Page) -> None:
    await page.set_content(
        "<main><h1>Broken</h1><img src='data:,'><button></button>"
        "<label>Email <input type='email'></label></main>"
    )

    with pytest.raises(AssertionError) as failure:
        await check_accessibility(page, "a broken page")

    found = str(failure.value).splitlines()[1:]
    assert any(line.startswith("- critical image-alt") for line in found), found
    assert any(line.startswith("- critical button-name") for line in found), found
    assert not any("label" in line for line in found), "a labelled input is no violation"


async def test_the_accessibility_check_passes_a_clean_page(page: Page) -> None:
    await page.set_content(
        "<html lang='en'><head><title>Fine</title></head><body><main><h1>Fine</h1>"
        "<button type='button'>Save</button></main></body></html>"
    )

    await check_accessibility(page, "a clean page")
