"""The editor's "Try on past carts" in the browser: a marketer runs an automation's draft
over carts a shop abandoned five days ago (one bought two hours after its first reminder),
compared with the live version, and reads the totals, the warning about an email after the
purchase, the figures on the canvas and that cart's timeline.

The draft stops only on unsubscribes (the live version also stops on a purchase): its second
reminder reaches the buyer a day after the order. A trigger filter on the test's own email
domain keeps the session's other carts (the stack is shared) out of the figures."""

import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.async_api import Page, expect

from tests.e2e.stack import DevStack
from tests.support import CART_ABANDONED, cart_event
from tests.ui.api import api_client, archive, unique
from tests.ui.browser import check_accessibility, open_route, screenshot

SignInAs = Callable[[str], Awaitable[Page]]
# An inline run (up to 2,000 carts) answers within the request; a loaded host takes its time.
RUN_TIMEOUT_MS = 60_000


def _definition(name: str, domain: str, exit_on: list[str]) -> dict[str, Any]:
    reminder = {"template": "cart-reminder", "subject": "Forgot something?"}
    return {
        "name": name,
        "trigger": {
            "event": "cart_abandoned",
            "filters": {"all": [{"field": "customer.email_domain", "op": "eq", "value": domain}]},
        },
        "exit_on": exit_on,
        "steps": [
            {"id": "wait-1", "type": "wait", "duration": "1h"},
            {"id": "email-1", "type": "action", "action": "send_email", "params": reminder},
            {"id": "wait-2", "type": "wait", "duration": "24h"},
            {"id": "email-2", "type": "action", "action": "send_email", "params": reminder},
        ],
    }


async def _past_carts(stack: DevStack, tokens: dict[str, str]) -> tuple[str, str, str]:
    """An inactive automation (live: stops on a purchase; its draft: only on unsubscribes),
    three carts abandoned five days ago at 10:00 UTC, the first bought at 13:00. The
    automation's id and name, and the buyer's cart id."""
    domain = f"{unique('sim')}.example"
    name = unique("Simulated reminders")
    live = _definition(name, domain, ["order_placed", "cart_recovered", "unsubscribed"])
    async with api_client(stack, tokens["marketer"]) as marketer:
        created = await marketer.post(
            "/api/v1/automations", json={"name": name, "definition": live}
        )
        assert created.status_code == 201, created.text
        automation_id: str = created.json()["id"]
        draft = _definition(name, domain, ["unsubscribed"])
        saved = await marketer.put(
            f"/api/v1/automations/{automation_id}/draft", json={"definition": draft}
        )
        assert saved.status_code == 200, saved.text

    day0 = (datetime.now(UTC) - timedelta(days=5)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    cart_ids = [unique("sim-cart") for _ in range(3)]
    async with api_client(stack, tokens["ingest"]) as ingest:
        for n, cart_id in enumerate(cart_ids):
            at = (day0 + timedelta(minutes=n)).isoformat()
            event = cart_event(CART_ABANDONED, cart_id, f"shopper{n}@{domain}", timestamp=at)
            event["data"]["abandoned_at"] = at
            answer = await ingest.post("/api/v1/events", json=event)
            assert answer.status_code == 202, answer.text
        bought = {
            "event": "order_placed",
            "timestamp": (day0 + timedelta(hours=3)).isoformat(),
            "data": {"order_id": unique("order"), "cart_id": cart_ids[0],
                     "customer_email": f"shopper0@{domain}", "total": 280.77, "currency": "USD"},
        }  # fmt: skip
        answer = await ingest.post("/api/v1/events", json=bought)
        assert answer.status_code == 202, answer.text
    return automation_id, name, cart_ids[0]


async def test_marketer_tries_the_draft_on_past_carts_compared_with_live(
    sign_in_as: SignInAs, ui_stack: DevStack, tokens: dict[str, str]
) -> None:
    automation_id, name, buyer = await _past_carts(ui_stack, tokens)
    try:
        page = await sign_in_as("marketer")
        await open_route(page, f"/automations/{automation_id}")
        heading = page.get_by_role("heading", name=name, level=1)
        await expect(heading).to_be_visible(timeout=RUN_TIMEOUT_MS)  # a loaded CI host is slow

        toolbar = page.get_by_role("group", name="Automation")
        await toolbar.get_by_role("button", name="Try on past carts").click()
        panel = page.get_by_role("region", name="Try on past carts")
        await expect(panel.get_by_label("Carts", exact=True)).to_have_value("1000")
        await panel.get_by_label("Compare with live (version 1)").check()
        await panel.get_by_role("button", name="Run simulation").click()

        results = panel.get_by_role("region", name="Results")
        await expect(results).to_be_visible(timeout=RUN_TIMEOUT_MS)
        await expect(results.get_by_role("status").first).to_contain_text(
            "Tried the draft on", timeout=RUN_TIMEOUT_MS
        )

        def figure(term: str) -> Any:
            return results.locator("dt", has_text=re.compile(f"^{term}$")).locator("xpath=..//dd")

        # The session's other carts are filtered out; this test's three enter.
        await expect(figure("Carts entering")).to_have_text(re.compile(r"^3 of \d[\d,]*$"))
        await expect(figure("Emails")).to_have_text("6")
        await expect(figure("Outcomes")).to_have_text("3 completed")
        await expect(figure("Failures")).to_have_text("0")

        # The buyer's second reminder would land a day after the order.
        warning = results.get_by_role("alert")
        await expect(warning).to_contain_text(
            "1 email would reach customers after they bought or unsubscribed."
        )
        late = warning.get_by_role("list", name="Emails that would arrive too late")
        await expect(late).to_contain_text(f"Cart {buyer}: step email-2")
        await expect(late).to_contain_text("after the customer bought")

        # Against live (which stops at the purchase): one more email, at email-2.
        difference = results.get_by_role("region", name="Compared with version 1 (live)")
        await expect(difference.get_by_role("listitem")).to_have_text(
            ["+1 email at step email-2", "+1 completed", "-1 purchased"]
        )

        # Each step's figures on the canvas, named with the node.
        node = page.get_by_role(
            "button", name=re.compile(r"^Step email-2: .*; 3 emails, \+1 email vs live$")
        )
        await expect(node).to_be_visible()
        await expect(node.locator(".flow-node__stats")).to_have_text("3 emails +1 email vs live")
        await expect(
            page.get_by_role("button", name=re.compile(r"^Step email-1: .*; 3 emails$"))
        ).to_be_visible()
        # Live stops the buyer's journey at wait-2; the draft does not.
        fewer_stops = "Step wait-2: Wait 24h; \N{MINUS SIGN}1 stopped here vs live"
        await expect(page.get_by_role("button", name=fewer_stops)).to_be_visible()
        heading = results.get_by_role("heading", name="Results")
        await heading.evaluate("heading => heading.scrollIntoView()")
        await screenshot(page, "try-on-past-carts")

        # Only the flagged carts: the buyer's. Its timeline, in time order.
        await results.get_by_label("Only flagged carts (a late send or a failure)").check()
        carts = results.get_by_role("list", name="Simulated carts")
        toggle = carts.get_by_role("button", name=re.compile(f"^{re.escape(buyer)} "))
        await expect(carts.get_by_role("button")).to_have_count(1)
        await expect(toggle).to_have_accessible_name(f"{buyer} completed, 2 emails, 1 late send")
        await toggle.click()
        await expect(toggle).to_have_attribute("aria-expanded", "true")
        moments = carts.get_by_role("list", name=f"What would happen to cart {buyer}")
        await expect(moments.get_by_role("listitem")).to_have_text(
            [
                re.compile(r"wait-1 Waited until the set time$"),
                re.compile(r"email-1 Action sent"),
                re.compile(r"Customer: order placed$"),
                re.compile(r"wait-2 Waited until the set time$"),
                re.compile(r"email-2 Action sent"),
                re.compile(r"End Ended: completed$"),
            ]
        )
        await expect(carts).to_contain_text("With the live version: purchased, 1 email, 0 codes.")

        await check_accessibility(page, "the editor's Try on past carts panel")
    finally:
        await archive(ui_stack, tokens["marketer"], automation_id)
