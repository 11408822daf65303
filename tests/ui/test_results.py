"""Results in the browser: a marketer lands on the dashboard, changes its period, and opens an
automation's Results tab, over figures made as a shop makes them (carts abandoned through
`POST /api/v1/events`, reminders sent to the outbox, then two carts recovered, in two
currencies)."""

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.stack import DevStack
from tests.support import CART_ABANDONED, CART_RECOVERED, automation, cart_event, eventually
from tests.ui.api import api_client, stop_enrolling, unique
from tests.ui.browser import check_accessibility, open_route, screenshot

SignInAs = Callable[[str], Awaitable[Page]]


async def _post_event(stack: DevStack, ingest_token: str, event: dict[str, Any]) -> None:
    async with api_client(stack, ingest_token) as ingest:
        answer = await ingest.post("/api/v1/events", json=event)
    assert answer.status_code == 202, answer.text


async def _shop_with_results(stack: DevStack, tokens: dict[str, str]) -> tuple[str, str]:
    """An active automation (wait 1 s, then a reminder) and three carts it reminded, two of them
    recovered afterwards: one in USD, one in EUR. Its id and name, once its results show them."""
    name = unique("Results reminder")
    async with api_client(stack, tokens["marketer"]) as marketer:
        created = await marketer.post("/api/v1/automations", json=automation("1s", name=name))
        assert created.status_code == 201, created.text
    automation_id: str = created.json()["id"]

    # As tests.ui.api.abandon_cart, with a currency: the second cart is in euros.
    carts = {unique("cart"): f"{unique('results')}@example.com" for _ in range(3)}
    for n, (cart_id, email) in enumerate(carts.items()):
        now = datetime.now(UTC).isoformat()
        event = cart_event(CART_ABANDONED, cart_id, email, timestamp=now)
        event["data"]["abandoned_at"] = now
        event["data"]["currency"] = "EUR" if n == 1 else "USD"
        await _post_event(stack, tokens["ingest"], event)

    # The recoveries must come after the reminders to be theirs (attribution).
    async def sent() -> list[str]:
        return [m["to"] for m in stack.outbox() if m.get("automation_id") == automation_id]

    await eventually(sent, lambda found: len(found) == len(carts), timeout=90)

    recovered = list(carts.items())[:2]
    for cart_id, email in recovered:
        event = cart_event(CART_RECOVERED, cart_id, email, timestamp=datetime.now(UTC).isoformat())
        event["data"]["order_id"] = unique("order")
        event["data"]["recovered_via"] = "email-1"
        await _post_event(stack, tokens["ingest"], event)

    async with api_client(stack, tokens["marketer"]) as marketer:

        async def results() -> dict[str, Any]:
            answer = await marketer.get(f"/api/v1/analytics/automations/{automation_id}")
            answer.raise_for_status()
            body: dict[str, Any] = answer.json()
            return body

        await eventually(results, lambda body: body["totals"]["carts_recovered"] == 2, timeout=60)
    return automation_id, name


async def test_the_dashboard_and_an_automations_results(
    sign_in_as: SignInAs, ui_stack: DevStack, tokens: dict[str, str]
) -> None:
    automation_id, name = await _shop_with_results(ui_stack, tokens)
    try:
        page = await sign_in_as("marketer")

        # Signing in lands on the dashboard, the last 30 days.
        await expect(page).to_have_url(re.compile(r"#/dashboard$"))
        await expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        revenue = page.get_by_role("list", name="Recovered revenue by currency")
        await expect(revenue.get_by_role("listitem").filter(has_text="$")).to_have_count(1)
        await expect(revenue.get_by_role("listitem").filter(has_text="€")).to_have_count(1)
        funnel = page.get_by_role("table", name="Emails sent, delivered, opened and clicked")
        await expect(funnel.get_by_role("row", name=re.compile(r"^Sent [1-9]"))).to_be_visible()
        await expect(page.get_by_text(re.compile(r"^Proxy opens: \d+"))).to_be_visible()
        await expect(page.get_by_role("img", name=re.compile("per day"))).to_have_count(2)
        await check_accessibility(page, "the dashboard")
        await screenshot(page, "dashboard")

        # The period is kept in the URL: a preset, then two dates.
        await page.get_by_label("Period", exact=True).select_option(label="Last 7 days")
        await expect(page).to_have_url(re.compile(r"#/dashboard\?days=7$"))
        await expect(
            page.get_by_role("status").filter(has_text="(the last 7 days)")
        ).to_be_visible()
        today = datetime.now(UTC).date()
        yesterday = today - timedelta(days=1)
        await page.get_by_label("Period", exact=True).select_option(label="Between two dates")
        await page.get_by_label("From", exact=True).fill(str(yesterday))
        await page.get_by_label("To", exact=True).fill(str(today))
        await page.get_by_role("button", name="Show").click()
        await expect(page).to_have_url(re.compile(rf"\?from={yesterday}&to={today}$"))

        # The days as the reader's language writes them (English: "Dec 2, 2026").
        def day(d: date) -> str:
            return f"{d:%b} {d.day}, {d.year}"

        await expect(
            page.get_by_role("status").filter(has_text=f"{day(yesterday)} to {day(today)}")
        ).to_have_count(1)
        await expect(revenue.get_by_role("listitem").filter(has_text="€")).to_have_count(1)
        await check_accessibility(page, "the dashboard, between two dates")

        # The automation's Results tab, beside its editor.
        await open_route(page, f"/automations/{automation_id}")
        tabs = page.get_by_role("navigation", name="Automation views")
        await tabs.get_by_role("link", name="Results").click()
        await expect(page).to_have_url(re.compile(rf"#/automations/{automation_id}/results$"))
        await expect(page.get_by_role("heading", name=f"{name}: results", level=1)).to_be_visible()
        steps = page.get_by_role("table", name="Each step's emails and recoveries")
        row = steps.get_by_role("row", name=re.compile(r"^email-1"))
        await expect(row.get_by_role("cell").nth(1)).to_have_text("3")  # sent
        await expect(row.get_by_role("cell").nth(5)).to_have_text("2")  # recovered
        node = page.get_by_role(
            "button", name=re.compile(r"^Step email-1: .*; 3 sent, 0 clicked, 2 recovered$")
        )
        await expect(node).to_be_visible()
        await expect(node.locator(".flow-node__stats")).to_have_text("3 sent 0 clicked 2 recovered")
        versions = page.get_by_role("table", name="Each published version's journeys")
        await expect(versions.get_by_role("row", name=re.compile("^Version 1"))).to_contain_text(
            "66.7 %"
        )
        await check_accessibility(page, "an automation's results")
        # The picture shows the flow with its badges.
        flow = page.get_by_role("heading", name="The live flow, step by step")
        await flow.evaluate("heading => heading.scrollIntoView()")
        await screenshot(page, "automation-results")
    finally:
        await stop_enrolling(ui_stack, tokens["marketer"], automation_id)
