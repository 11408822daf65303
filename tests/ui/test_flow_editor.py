"""The flow editor in the browser: a marketer tunes an installed preset on the canvas and
publishes it, another builds an automation with a condition and an A/B split from scratch,
seeing the API's validation on the node it concerns; support reads a flow and edits nothing."""

import re
from collections.abc import Awaitable, Callable
from typing import Any

from playwright.async_api import Locator, Page, expect

from engine.language.presets import THREE_STEP
from tests.e2e.stack import DevStack
from tests.ui.api import api_client, archive, automation_of, stop_enrolling, unique
from tests.ui.browser import automation_row, check_accessibility, nav_link, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
# Installed inactive on a fresh data dir (engine.language.presets.INSTALLED_ON_FIRST_START):
# 2 h wait, then the cart reminder.
FIRST_START_AUTOMATION = "Abandoned cart — single reminder"
READY = "✓ Ready to publish"
# The "+" on every edge of the canvas, whatever it adds to.
ADD_STEP = re.compile(r"^Add a step ")
EDITING_BUTTONS = re.compile(
    r"^(Undo|Redo|Save draft|Discard draft|Publish|Move up|Move down|Duplicate step|Delete step"
    r"|Roll back)"
)


def step_node(page: Page, step_id: str) -> Locator:
    """A step's node on the canvas; its name reads "Step wait-1: Wait 1h" (+ " 1 problem")."""
    return page.get_by_role("button", name=re.compile(f"^Step {re.escape(step_id)}: "))


def trigger_node(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Trigger: "))


def side_panel(page: Page) -> Locator:
    return page.get_by_role("complementary", name="Side panel")


async def top_of(node: Locator) -> float:
    box = await node.bounding_box()
    assert box is not None, f"{node} is not drawn"
    return box["y"]


async def add_step(page: Page, where: str, kind: str) -> None:
    """Open the "+" named `where` ("Add a step after wait-1") and pick `kind` from its menu."""
    await page.get_by_role("button", name=where, exact=True).click()
    menu = page.get_by_role("menu", name=where)
    await menu.get_by_role("menuitem", name=kind, exact=True).click()
    await expect(menu).to_have_count(0)


async def publish(page: Page, version: int) -> Locator:
    """Press Publish and wait for its dialog (the diff against the live version): returned
    open, for the caller to read, check and confirm with `confirm_publish`."""
    await expect(page.get_by_text(READY, exact=True)).to_be_visible()
    toolbar = page.get_by_role("group", name="Automation")
    await toolbar.get_by_role("button", name="Publish", exact=True).click()
    dialog = page.get_by_role("dialog", name=f"Publish version {version}?")
    await expect(dialog).to_be_visible()
    return dialog


async def confirm_publish(page: Page, dialog: Locator, version: int) -> None:
    await dialog.get_by_role("button", name="Publish", exact=True).click()
    await expect(dialog).to_have_count(0)
    await expect(page.get_by_role("status").filter(has_text="Published version")).to_contain_text(
        f"Published version {version}."
    )
    await expect(page.get_by_text(f"Version {version}", exact=True)).to_be_visible()


def steps_by_id(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every step of a definition, nested ones included, by id."""
    found: dict[str, dict[str, Any]] = {}
    for step in steps:
        found[step["id"]] = step
        nested = [step.get("then"), step.get("else"), step.get("on_event"), step.get("on_timeout")]
        nested += [variant.get("steps") for variant in step.get("variants", [])]
        for branch in nested:
            found.update(steps_by_id(branch or []))
    return found


async def install_three_step_and_open_it(page: Page) -> str:
    """Install the three-step sequence from its card and follow its "Open" link; its id."""
    await nav_link(page, "Presets").click()
    card = page.get_by_role("article", name=THREE_STEP.name)
    await card.get_by_role("button", name=f"Install {THREE_STEP.name}").click()
    progress = card.get_by_role("status")
    await expect(progress).to_contain_text("Installed")
    opening = progress.get_by_role("link", name="Open", exact=True)
    href = await opening.get_attribute("href")
    assert href is not None and href.startswith("#/automations/"), href
    await opening.click()
    await expect(page.get_by_role("heading", name=THREE_STEP.name, level=1)).to_be_visible()
    return href.removeprefix("#/automations/")


async def test_change_the_first_wait_of_an_installed_preset_then_publish_and_activate_it(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("marketer")
    automation_id = await install_three_step_and_open_it(page)
    try:
        # Top-down: the trigger first, then the steps in their order.
        first_wait = step_node(page, "wait-1")
        await expect(first_wait).to_have_accessible_name("Step wait-1: Wait 1h")
        tops = [await top_of(node) for node in (trigger_node(page), first_wait)]
        tops.append(await top_of(step_node(page, "email-1")))
        assert tops == sorted(tops) and len(set(tops)) == len(tops), tops
        await screenshot(page, "canvas")

        await first_wait.click()
        panel = side_panel(page).get_by_role("region", name="Step wait-1")
        amount = panel.get_by_label("Wait for", exact=True)
        await expect(amount).to_have_value("1")
        await expect(panel.get_by_label("Unit", exact=True)).to_have_value("h")
        await amount.fill("2")
        await expect(first_wait).to_have_accessible_name("Step wait-1: Wait 2h")
        await expect(page.get_by_text(READY, exact=True)).to_be_visible()
        await check_accessibility(page, "the flow editor with a step's side panel open")
        await screenshot(page, "side-panel")

        dialog = await publish(page, version=2)
        changed = dialog.get_by_role("listitem").filter(has_text="wait-1 (wait)")
        await expect(changed).to_contain_text("duration: 1h → 2h")
        await check_accessibility(page, "the flow editor's publish dialog")
        await confirm_publish(page, dialog, version=2)

        await nav_link(page, "Automations").click()
        row = automation_row(page, automation_id)
        await expect(row.get_by_role("cell").nth(1)).to_have_text("v2")
        await row.get_by_role("button", name=f"Activate {THREE_STEP.name}").click()
        await expect(row.get_by_role("cell").first).to_have_text("Active")

        async with api_client(ui_stack, tokens["admin"]) as admin:
            published = await automation_of(admin, automation_id)
        assert (published["status"], published["version"]) == ("active", 2)
        assert steps_by_id(published["definition"]["steps"])["wait-1"]["duration"] == "2h"
        assert published["draft"] is None
    finally:
        await stop_enrolling(ui_stack, tokens["marketer"], automation_id)
        # Out of the way of the session's other tests, which install this preset by its name.
        await archive(ui_stack, tokens["marketer"], automation_id)


async def create_automation(page: Page, name: str) -> str:
    """List → "New automation" → its editor (a 1 hour wait and one email); its id."""
    await nav_link(page, "Automations").click()
    await page.get_by_role("button", name="New automation", exact=True).click()
    dialog = page.get_by_role("dialog", name="New automation")
    await dialog.get_by_label("Name", exact=True).fill(name)
    await dialog.get_by_label("Trigger", exact=True).select_option("cart_abandoned")
    await dialog.get_by_role("button", name="Create and open", exact=True).click()
    await expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    automation_id = page.url.rsplit("#/automations/", 1)[1]
    await expect(step_node(page, "wait-1")).to_have_accessible_name("Step wait-1: Wait 1h")
    await expect(page.get_by_text(READY, exact=True)).to_be_visible()
    return automation_id


async def expect_side_by_side(
    page: Page, fork: Locator, left: str, right: str, after_join: Locator
) -> None:
    """The branches labelled `left` and `right` start side by side below `fork`, and both end
    above `after_join`, the step the flow goes on with."""
    boxes = []
    for label in (left, right):
        found = await page.get_by_text(label, exact=True).bounding_box()
        assert found is not None, f"no branch labelled {label!r}"
        boxes.append(found)
    fork_box, join_box = await fork.bounding_box(), await after_join.bounding_box()
    assert fork_box is not None and join_box is not None
    first, second = boxes
    assert first["x"] + first["width"] < second["x"], boxes
    for box in boxes:
        assert fork_box["y"] + fork_box["height"] < box["y"] < join_box["y"], (box, fork_box)


async def test_build_an_automation_with_a_condition_and_an_ab_split_fixing_a_problem(
    ui_stack: DevStack, tokens: dict[str, str], sign_in_as: SignInAs
) -> None:
    page = await sign_in_as("marketer")
    automation_id = await create_automation(page, unique("Branches"))
    try:
        # A new condition has no step in either branch: the API flags its node, the list names it.
        await add_step(page, "Add a step after wait-1", "Condition")
        condition = step_node(page, "condition-1")
        await expect(condition).to_have_accessible_name(re.compile(r" 1 problem$"))
        problems = page.get_by_role("region", name="1 problem to fix before publishing")
        await expect(problems.get_by_role("button")).to_have_count(1)
        await expect(problems.get_by_role("button")).to_contain_text("condition-1")
        await check_accessibility(page, "the flow editor showing a problem")

        await add_step(page, "Add a step to the then branch of condition-1", "Wait")
        await expect(step_node(page, "wait-2")).to_have_accessible_name("Step wait-2: Wait 1h")
        await expect(condition).to_have_accessible_name("Step condition-1: If cart.total ≥ 50")
        await expect(problems).to_have_count(0)

        await add_step(page, "Add a step after email-1", "A/B split")
        await expect(step_node(page, "ab-test-1")).to_have_accessible_name(
            "Step ab-test-1: A/B split: a 50% / b 50%"
        )

        dialog = await publish(page, version=2)
        diff_lines = dialog.get_by_role("listitem")
        for added in ("condition-1", "wait-2", "ab-test-1"):
            await expect(diff_lines.filter(has_text=f"+ {added} (")).to_be_visible()
        await confirm_publish(page, dialog, version=2)
        # The whole flow in the picture, both splits included (React Flow's own control).
        await page.get_by_role("button", name="Fit View").click()
        await expect(condition).to_be_in_viewport()
        await expect(page.get_by_text("b 50%", exact=True)).to_be_in_viewport()
        # Measured on a still canvas: selecting a step glides the view to it.
        await expect_side_by_side(page, condition, "then", "else", step_node(page, "email-1"))
        await page.mouse.move(0, 0)  # no hovered control in the picture
        await screenshot(page, "canvas-branches")

        async with api_client(ui_stack, tokens["admin"]) as admin:
            published = await automation_of(admin, automation_id)
        assert published["version"] == 2
        steps = steps_by_id(published["definition"]["steps"])
        assert steps["condition-1"]["type"] == "condition"
        assert [step["id"] for step in steps["condition-1"]["then"]] == ["wait-2"]
        assert steps["ab-test-1"]["type"] == "ab_split"
        top_level = [step["id"] for step in published["definition"]["steps"]]
        assert top_level == ["wait-1", "condition-1", "email-1", "ab-test-1"]
    finally:
        # Off the list the session's other tests picture.
        await archive(ui_stack, tokens["marketer"], automation_id)


async def test_support_reads_a_flow_without_editing_controls(sign_in_as: SignInAs) -> None:
    """What tests/test_roles.py does not look at: the canvas's "+", the toolbar, the panels."""
    page = await sign_in_as("support")
    await page.get_by_role("link", name=FIRST_START_AUTOMATION).first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(FIRST_START_AUTOMATION)
    await expect(page.get_by_text("your role cannot edit it")).to_be_visible()
    first_wait = step_node(page, "wait-1")
    await expect(first_wait).to_have_accessible_name("Step wait-1: Wait 2h")

    await expect(page.get_by_role("button", name=ADD_STEP)).to_have_count(0)
    await expect(page.get_by_role("button", name=EDITING_BUTTONS)).to_have_count(0)
    await expect(page.get_by_role("button", name="Version history")).to_be_enabled()

    await first_wait.click()
    panel = side_panel(page).get_by_role("region", name="Step wait-1")
    await expect(panel.get_by_label("Wait for", exact=True)).to_have_value("2")
    await expect_nothing_editable(panel)
    await check_accessibility(page, "a step's side panel (support)")

    await trigger_node(page).click()
    await expect_nothing_editable(
        side_panel(page).get_by_role("region", name="Trigger and settings")
    )
    await expect(page.get_by_role("button", name=EDITING_BUTTONS)).to_have_count(0)


async def expect_nothing_editable(panel: Locator) -> None:
    """Shown, with every field and button in it disabled."""
    await expect(panel).to_be_visible()
    controls = panel.locator("input, select, textarea, button")
    assert await controls.count() > 0
    for control in await controls.all():
        await expect(control).to_be_disabled()
