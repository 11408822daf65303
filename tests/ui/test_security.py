"""The builder in Chromium under its Content-Security-Policy: every page works and no
violation is reported; strings that users type and shops send show as text, never as HTML.

Violations are caught two ways: a `securitypolicyviolation` listener in every document
(before the app's scripts run), and Chromium's console ("Refused to ..."), which also
reports those of the template preview's script-less frame."""

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, expect

from tests.e2e.stack import DevStack
from tests.support import CART_ABANDONED, cart_event
from tests.ui.api import api_client, unique
from tests.ui.browser import VIEWPORT, open_route, sign_in

LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
# Markup as a user or a shop could type it: were it ever parsed as HTML, an <img> with
# src="x" would be in the page and its handler would set window.__xss.
XSS = '<img src=x onerror="window.__xss=1">'


class Violations:
    """Everything the page reported breaking the policy, from both sources."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    async def found(self) -> list[str]:
        listened: list[str] = await self.page.evaluate("window.__cspViolations || []")
        return listened + self.console


@pytest.fixture
async def page(browser: Browser, base_url: str) -> AsyncIterator[Page]:
    """A page under the app's policy (the shared `page` fixture bypasses it for axe-core)."""
    context = await browser.new_context(base_url=base_url, viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    yield await context.new_page()
    await context.close()


async def _watched(page: Page) -> Violations:
    await page.context.add_init_script(LISTEN_FOR_VIOLATIONS)
    return Violations(page)


async def _settled(page: Page, route: str) -> None:
    await open_route(page, route)
    await page.wait_for_load_state("networkidle")


async def test_every_page_works_under_the_content_security_policy(
    ui_stack: DevStack, tokens: dict[str, str], page: Page
) -> None:
    violations = await _watched(page)
    document = await page.goto("/")
    assert document is not None
    policy = document.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self';" in policy
    assert document.headers["x-content-type-options"] == "nosniff"

    await sign_in(page, tokens["admin"])
    [first, *_] = ui_stack.http.get("/api/v1/automations").json()
    await _settled(page, f"/automations/{first['id']}")
    await expect(page.locator(".react-flow__node").first).to_be_visible()
    await _settled(page, "/templates/cart-reminder")
    preview = page.locator("iframe")
    await expect(preview).to_be_visible()
    assert await preview.get_attribute("sandbox") == "", "the preview runs no scripts"
    for route in ("/dashboard", "/automations", "/presets", "/templates", "/carts",
                  "/journeys", "/customers", "/settings", "/settings/integrations"):  # fmt: skip
        await _settled(page, route)
        await expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    assert await violations.found() == []


async def _store_hostile_strings(stack: DevStack, tokens: dict[str, str]) -> dict[str, str]:
    """An automation, a template, an API token, a cart (its customer's first name and an
    item's name), each holding XSS; the ids to open them by."""
    automation = stack.post(
        "/api/v1/automations",
        {"name": f"{XSS} {uuid.uuid4().hex[:6]}", "definition": {
            "trigger": {"event": "cart_abandoned"},
            "steps": [{"id": "wait-1", "type": "wait", "duration": "1h"}]}},
    )  # fmt: skip
    template = unique("xss")
    stack.post("/api/v1/templates", {"name": template, "subject": XSS, "description": XSS,
                                     "mjml": "<mjml><mj-body></mj-body></mjml>"})  # fmt: skip
    token = stack.post("/api/v1/tokens", {"name": XSS, "role": "support"})
    cart_id, email = unique("cart-xss"), f"{unique('xss')}@example.com"
    event: dict[str, Any] = json.loads(json.dumps(cart_event(CART_ABANDONED, cart_id, email)))
    event["event"] = "cart_updated"  # stored, enrolled nowhere
    event["data"]["customer"] = {"first_name": XSS}
    event["data"]["items"][0]["name"] = XSS
    async with api_client(stack, tokens["ingest"]) as ingest:
        answer = await ingest.post("/api/v1/events", json=event)
        assert answer.status_code == 202, answer.text
    return {"automation": automation["id"], "template": template, "cart": cart_id,
            "email": email, "token": token["id"]}  # fmt: skip


def _put_away(stack: DevStack, stored: dict[str, str]) -> None:
    """Archive the automation and revoke the token: the session's other tests share the
    stack, and their screenshots of the lists are the README's pictures."""
    archived = stack.http.post(f"/api/v1/automations/{stored['automation']}/archive")
    revoked = stack.http.delete(f"/api/v1/tokens/{stored['token']}")
    assert (archived.status_code, revoked.status_code) == (200, 200), revoked.text


async def _shows_it_as_text(page: Page, route: str) -> None:
    await _settled(page, route)
    await expect(page.get_by_text(XSS).first).to_be_visible()
    injected = await page.evaluate("document.querySelectorAll('img[src=\"x\"]').length")
    assert injected == 0, f"{route}: the string became an element"
    assert await page.evaluate("window.__xss") is None, f"{route}: its handler ran"


async def test_stored_strings_show_as_text_and_nothing_runs(
    ui_stack: DevStack, tokens: dict[str, str], page: Page
) -> None:
    stored = await _store_hostile_strings(ui_stack, tokens)
    violations = await _watched(page)

    try:
        await sign_in(page, tokens["admin"])
        for route in (
            "/automations",
            f"/automations/{stored['automation']}",
            "/templates",
            f"/carts/{stored['cart']}",
            f"/customers?email={stored['email']}",
            "/settings",
        ):
            await _shows_it_as_text(page, route)
        await _settled(page, f"/templates/{stored['template']}")
        await expect(page.get_by_label("Subject", exact=False).first).to_have_value(XSS)
    finally:
        _put_away(ui_stack, stored)

    assert await page.evaluate("window.__xss") is None
    assert await violations.found() == [], "nothing even tried to run"


async def test_the_violation_watch_reports_a_blocked_inline_script(page: Page) -> None:
    """The harness itself: an inline script added to the served app is blocked and reported."""
    violations = await _watched(page)
    await page.goto("/")

    await page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__xss = 1";
            document.body.append(script);
        }"""
    )

    assert await page.evaluate("window.__xss") is None
    found = await violations.found()
    assert any("script-src" in violation for violation in found), found
