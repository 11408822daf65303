"""What every browser test needs: Chromium's launch options, signing in through the real form,
an axe-core accessibility check and the screenshots kept in docs/screenshots/."""

from pathlib import Path
from typing import Any

from playwright.async_api import Locator, Page, ViewportSize, expect

from tests.e2e.stack import DevStack

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_SCRIPT = ROOT / "builder_ui" / "node_modules" / "axe-core" / "axe.min.js"
UI_INDEX = ROOT / "builder_ui" / "dist" / "index.html"
CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download its own browsers here: it drives Debian's Chromium.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
ROLES = ("admin", "marketer", "developer", "support", "ingest")
# axe-core impacts are minor, moderate, serious, critical: the last two fail a test.
BLOCKING_IMPACTS = ("serious", "critical")


def launch_options() -> dict[str, Any]:
    """`BrowserType.launch` keyword arguments: headless Debian Chromium."""
    return {"executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


def make_token(stack: DevStack, role: str, name: str | None = None) -> str:
    """A new token of `role`, created through the API with the stack's admin token."""
    answer = stack.post("/api/v1/tokens", {"name": name or f"ui test {role}", "role": role})
    value: str = answer["token"]
    return value


async def submit_token(page: Page, token: str) -> None:
    """Open the UI signed out and submit `token` in the sign-in form."""
    await page.goto("/")
    await page.get_by_label("API token").fill(token)
    await page.get_by_role("button", name="Sign in").click()


async def sign_in(page: Page, token: str) -> Page:
    """Sign in through the real form; returns once the main navigation is shown."""
    await submit_token(page, token)
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    return page


async def open_route(page: Page, route: str) -> None:
    """Open a route of the signed-in UI by its hash path, e.g. `/templates/cart-reminder`."""
    await page.goto(f"/#{route}")


def nav_link(page: Page, label: str) -> Locator:
    """A link of the main navigation (`Automations`, `Presets`, ...)."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=label, exact=True)


async def check_accessibility(page: Page, what: str) -> None:
    """Run axe-core on the page as it is now; fail listing every serious or critical violation."""
    if await page.evaluate("typeof window.axe") == "undefined":
        await page.add_script_tag(path=str(AXE_SCRIPT))
    violations: list[dict[str, Any]] = await page.evaluate(
        """async (blocking) => {
            const results = await window.axe.run(document, {resultTypes: ["violations"]});
            return results.violations
                .filter((violation) => blocking.includes(violation.impact))
                .map((violation) => ({
                    id: violation.id,
                    impact: violation.impact,
                    help: violation.help,
                    targets: violation.nodes.map((node) => node.target.join(" ")),
                }));
        }""",
        list(BLOCKING_IMPACTS),
    )
    if violations:
        lines = [
            f"- {found['impact']} {found['id']}: {found['help']} at {', '.join(found['targets'])}"
            for found in violations
        ]
        raise AssertionError(f"axe-core on {what} ({page.url}):\n" + "\n".join(lines))


async def screenshot(page: Page, name: str) -> Path:
    """Save what the 1280×800 viewport shows as docs/screenshots/<name>.png (the README's
    pictures: each run refreshes them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Animations stopped and the caret hidden, so a run that changed nothing writes the same
    # picture again.
    await page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path


def automation_row(page: Page, automation_id: str) -> Locator:
    """The automations list's row of one automation, found by its link: names repeat (every
    install of a preset keeps the preset's name, and the session's tests share one stack)."""
    link = page.locator(f'a[href="#/automations/{automation_id}"]')
    return page.get_by_role("table", name="Automations").get_by_role("row").filter(has=link)
