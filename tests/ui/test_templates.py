"""A marketer edits an email template in the browser: a copy of the seeded reminder (so the
session's other tests keep the original), broken with an unclosed `{% if %}`, the error shown
with its line, fixed, then a heading changed and seen in the live preview, and the draft saved."""

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from playwright.async_api import Locator, Page, expect

from tests.e2e.stack import DevStack
from tests.ui.api import api_client, unique
from tests.ui.browser import check_accessibility, nav_link, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
ORIGINAL = "cart-reminder"
# The copy's heading, as the seeded template writes it, and what the marketer makes of it.
HEADING = "you left something behind"
NEW_HEADING = "your cart is still here"
# An `if` that nothing closes: reported at the line that opens it.
UNCLOSED_IF = "{% if x %}"


def source_editor(page: Page) -> Locator:
    """The MJML source's CodeMirror 6 editor (its contenteditable, labelled by the editor)."""
    return page.get_by_role("textbox", name="Template source")


def preview_frame(page: Page) -> Locator:
    """The body of the rendered email in the sandboxed preview frame."""
    return page.frame_locator('iframe[title="Preview"]').locator("body")


def editor_state(page: Page) -> Locator:
    """The header's saved/unsaved status next to "Save draft"."""
    return page.locator(".template-editor__actions").get_by_role("status")


async def copy_the_reminder(page: Page, name: str) -> None:
    """Templates → "New template" → a copy of the seeded reminder under `name`; opens it."""
    await nav_link(page, "Templates").click()
    await page.get_by_role("button", name="New template").click()
    form = page.get_by_role("form", name="New template")
    await form.get_by_label("Name").fill(name)
    await form.get_by_label("Start from").select_option(label=f"A copy of {ORIGINAL}")
    await form.get_by_role("button", name="Create template").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    await expect(preview_frame(page)).to_contain_text(HEADING)


async def replace_in_source(page: Page, find: str, replacement: str) -> None:
    """CodeMirror's own search and replace (Ctrl+F), as a keyboard user edits a long source."""
    await source_editor(page).click()
    await page.keyboard.press("Control+f")
    panel = page.locator(".cm-search")
    await panel.locator("input[name=search]").fill(find)
    await panel.locator("input[name=replace]").fill(replacement)
    await panel.get_by_role("button", name="replace all").click()
    await page.keyboard.press("Escape")
    await expect(panel).to_have_count(0)


async def show_the_top(page: Page) -> None:
    """The source from its first line and the page from its header, for the README's picture
    (typing at the end of the source scrolled both down)."""
    await source_editor(page).click()
    await page.keyboard.press("Control+Home")
    await page.evaluate("window.scrollTo(0, 0)")
    await expect(page.get_by_role("navigation", name="Main")).to_be_in_viewport()


async def test_break_a_template_see_the_line_fix_it_and_see_the_preview_change(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    name = unique("reminder-copy")
    page = await sign_in_as("marketer")
    await copy_the_reminder(page, name)
    async with api_client(ui_stack, tokens["marketer"]) as marketer:
        answer = await marketer.get(f"/api/v1/templates/{quote(name)}")
        answer.raise_for_status()
        source: str = answer.json()["versions"][0]["mjml"]
        # Typed at the very end of the source, the `if` sits on its last line.
        last_line = len(source.split("\n"))

        await source_editor(page).click()
        await page.keyboard.press("Control+End")
        await page.keyboard.type(UNCLOSED_IF)
        problems = page.get_by_role("alert")
        await expect(problems).to_contain_text("This template does not render:")
        await expect(problems).to_contain_text(
            f"Line {last_line}: this {{% if %}} is never closed: add {{% endif %}}"
        )
        await expect(page.get_by_text("Showing the last version that rendered")).to_be_visible()
        await check_accessibility(page, "the template editor showing a problem")

        # Deleting what was typed (closing brackets included) fixes it.
        for _ in UNCLOSED_IF:
            await page.keyboard.press("Backspace")
        await expect(problems).to_have_count(0)

        await replace_in_source(page, HEADING, NEW_HEADING)
        await expect(preview_frame(page)).to_contain_text(NEW_HEADING)
        await expect(preview_frame(page)).not_to_contain_text(HEADING)
        await expect(editor_state(page)).to_have_text("Unsaved changes")

        await page.get_by_role("button", name="Save draft").click()
        await expect(editor_state(page)).to_contain_text("Saved as draft version")
        await check_accessibility(page, "the template editor")
        await show_the_top(page)
        await screenshot(page, "template-editor")

        saved = await marketer.get(f"/api/v1/templates/{quote(name)}")
        saved.raise_for_status()
        newest = saved.json()["versions"][0]["mjml"]
        assert NEW_HEADING in newest and UNCLOSED_IF not in newest
        assert newest == source.replace(HEADING, NEW_HEADING)
