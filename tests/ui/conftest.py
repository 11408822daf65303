"""Browser tests against the real stack: one `boomerang dev` serving the built UI and one
headless Chromium for the whole session (starting them costs seconds), a fresh browser context
per test (nobody signed in), a 1280×800 viewport.

Playwright's async API, on pytest-asyncio's session loop: its sync API marks the thread's
event loop as running for as long as Playwright lives, after which every async test of the
session fails ("cannot be called from a running event loop"). For that reason
pyproject.toml disables the pytest-playwright plugin (`-p no:playwright`) and its sync
fixtures: tests here are `async def` and `await` every Playwright call.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.e2e.stack import DevStack
from tests.ui.browser import (
    AXE_SCRIPT,
    CHROMIUM,
    ROLES,
    UI_INDEX,
    VIEWPORT,
    launch_options,
    make_token,
    sign_in,
)

HERE = Path(__file__).parent
# The stack shares 2 cores with the browser (and, in CI, with nothing else; here, with more):
# wait longer than Playwright's 5 s for a page to show what a test expects.
EXPECT_TIMEOUT_MS = 15_000
WOOCOMMERCE_SECRET = "ui-tests-woocommerce-secret"
ACTION_TIMEOUT_MS = 30_000

BROWSER_NEEDS = {
    CHROMIUM: "`apt-get install -y chromium` (.ci/run does)",
    AXE_SCRIPT: "`cd builder_ui && npm ci`",
}

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder `ui` (`pytest -m "not ui"` leaves the browser out)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.ui)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, object]:
    """Keep each phase's report on the test, so the `page` fixture knows a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def ui_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    """`boomerang dev` as `make run` starts it (embedded Temporal, worker, API serving
    builder_ui/dist) on free ports and a fresh data dir, shared by every UI test. Its admin
    token is `tests.e2e.stack.TOKEN`; `ui_stack.http` is an httpx client signed in with it."""
    if not UI_INDEX.is_file():
        pytest.fail(
            f"{UI_INDEX} is missing: build the UI first (`make pytest` does, or "
            "`cd builder_ui && npm run build`)",
            pytrace=False,
        )
    stack = DevStack(tmp_path_factory.mktemp("ui-stack"))
    # WooCommerce's webhooks are signed with it (the Integrations page sends a test event);
    # Shopify's stays unset, as on a shop that has not connected it.
    stack.env["BOOMERANG_WOOCOMMERCE_WEBHOOK_SECRET"] = WOOCOMMERCE_SECRET
    try:
        stack.start()
        yield stack
    finally:
        stack.stop_for_good()


@pytest.fixture(scope="session")
def base_url(ui_stack: DevStack) -> str:
    """Every browser context resolves relative URLs against it: `page.goto("/")`."""
    return f"http://127.0.0.1:{ui_stack.port}"


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Debian's headless Chromium (Playwright cannot download its own browsers here)."""
    for needed, how in BROWSER_NEEDS.items():
        if not needed.is_file():
            pytest.fail(f"{needed} is missing: {how}", pytrace=False)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(**launch_options())
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(
    browser: Browser, base_url: str, request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Page]:
    """A page in a fresh context (no token stored); on failure, what it showed is saved.

    The context bypasses the app's Content-Security-Policy: the accessibility check injects
    axe-core as an inline script, which the policy forbids. tests/ui/test_security.py checks
    the app under its policy, in contexts of its own."""
    context = await browser.new_context(base_url=base_url, viewport=VIEWPORT, bypass_csp=True)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = await context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        failure_shot = tmp_path / "failure.png"
        await page.screenshot(path=str(failure_shot), full_page=True)
        print(f"\nthe page at failure ({page.url}): {failure_shot}")  # noqa: T201
    await context.close()


@pytest.fixture(scope="session")
def tokens(ui_stack: DevStack) -> dict[str, str]:
    """One token per role, made through the API: {"admin": ..., "support": ..., ...}."""
    return {role: make_token(ui_stack, role) for role in ROLES}


@pytest.fixture
def sign_in_as(page: Page, tokens: dict[str, str]) -> Callable[[str], Awaitable[Page]]:
    """`await sign_in_as("marketer")`: the test's page, signed in through the form."""
    return lambda role: sign_in(page, tokens[role])
