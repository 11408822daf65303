"""Simulations through the real stack: a few carts answer at once, many run as a job in the
worker; the answer's totals, the difference to the live version, the carts' timelines page by
page; bad input named; nothing sent and no code created."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from engine.service import simulation
from engine.service.auth import Role
from engine.store.db import session_scope
from engine.store.models import DiscountCode, Message, Simulation
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event, eventually

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday, long past
H = timedelta(hours=1)
EMAIL = {"template": "cart-reminder", "subject": "Forgot something?"}


def _definition(**changes: Any) -> dict[str, Any]:
    """wait 1h → email-1 → wait 24h → code (10 %) → email-2; exits on a purchase."""
    definition: dict[str, Any] = {
        "trigger": {"event": "cart_abandoned"},
        "exit_on": ["order_placed", "cart_recovered", "unsubscribed"],
        "settings": {"quiet_hours": None},
        "steps": [
            {"id": "wait-1", "type": "wait", "duration": "1h"},
            {"id": "email-1", "type": "action", "action": "send_email", "params": EMAIL},
            {"id": "wait-2", "type": "wait", "duration": "24h"},
            {"id": "code", "type": "action", "action": "create_discount",
             "params": {"percent": 10}},
            {"id": "email-2", "type": "action", "action": "send_email", "params": EMAIL},
        ],
    }  # fmt: skip
    definition.update(changes)
    return definition


async def _automation(api: Api, definition: dict[str, Any] | None = None) -> str:
    """Inactive: the carts below enter no real journey."""
    body = {"name": "Two reminders", "definition": definition or _definition()}
    return await api.create_automation(body)


async def _abandon(api: Api, cart_id: str, at: datetime = T0, total: float = 80) -> str:
    email = f"{cart_id}@example.com"
    event = cart_event(CART_ABANDONED, cart_id, email, id=f"abandon-{cart_id}",
                       timestamp=at.isoformat())  # fmt: skip
    event["data"].update(abandoned_at=at.isoformat(), total=total, subtotal=total, tax=0)
    event["data"]["items"] = [{"id": "p1", "name": "Lamp", "price": total, "quantity": 1}]
    response = await api.http.post("/api/v1/events", json=event)
    assert response.status_code == 202, response.text
    return email


async def _order(api: Api, cart_id: str, at: datetime) -> None:
    event = {"id": f"order-{cart_id}", "event": "order_placed", "timestamp": at.isoformat(),
             "data": {"order_id": f"o-{cart_id}", "cart_id": cart_id, "total": 80,
                      "customer_email": f"{cart_id}@example.com", "currency": "USD"}}  # fmt: skip
    response = await api.http.post("/api/v1/events", json=event)
    assert response.status_code == 202, response.text


async def _simulate(api: Api, automation_id: str, **body: Any) -> Any:
    return await api.http.post(f"/api/v1/automations/{automation_id}/simulate", json=body)


def _count(api: Api, table: Any) -> int:
    with session_scope(api.settings.resolved_database_url) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


async def test_a_few_carts_answer_their_totals_at_once_and_nothing_goes_out(api: Api) -> None:
    automation_id = await _automation(api)
    emails = [await _abandon(api, cart_id) for cart_id in ("never-1", "never-2", "bought")]
    await _order(api, "bought", T0 + 3 * H)

    response = await _simulate(api, automation_id)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["status"], answer["carts"], answer["done"]) == ("done", 3, 3)
    assert answer["tried"] == {"kind": "version", "version": 1}
    assert answer["compared_with"] is None and answer["difference"] is None
    totals = answer["totals"]
    assert (totals["carts"], totals["entered"], totals["not_entered"]) == (3, 3, {})
    assert totals["emails"] == 2 + 2 + 1
    assert {step: totals["steps"][step]["emails"] for step in ("email-1", "email-2")} == {
        "email-1": 3,
        "email-2": 2,
    }
    assert totals["codes"] == 2
    assert totals["code_value"] == [{"currency": "USD", "amount": "16.00"}]  # 10 % of 80, twice
    assert totals["outcomes"] == {"completed": 2, "purchased": 1}
    assert totals["steps"]["wait-2"]["stopped_here"] == {"purchased": 1}
    assert (totals["late_sends"], totals["failures"]) == (0, 0)
    # A dry run: no email in the outbox, no message, no discount code row.
    for email in emails:
        assert await api.outbox(email) == []
    assert (_count(api, Message), _count(api, DiscountCode)) == (0, 0)


async def test_compared_with_live_the_answer_says_what_changes(api: Api) -> None:
    automation_id = await _automation(api)
    for cart_id in ("a", "b"):
        await _abandon(api, cart_id)
    await _abandon(api, "small", total=10)
    # Only carts of 25 or more, and no second email.
    at_least_25 = {"all": [{"field": "cart.total", "op": "gte", "value": 25}]}
    filtered = {"event": "cart_abandoned", "filters": at_least_25}
    changed = _definition(trigger=filtered)
    changed["steps"] = changed["steps"][:4]

    response = await _simulate(api, automation_id, definition=changed, compare_to="live")

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["tried"] == {"kind": "definition", "version": None}
    assert answer["compared_with"] == {"kind": "version", "version": 1}
    assert (answer["totals"]["entered"], answer["totals"]["not_entered"]) == (2, {"filtered": 1})
    assert (answer["totals"]["emails"], answer["compared"]["emails"]) == (2, 6)
    difference = answer["difference"]
    assert (difference["entered"], difference["emails"], difference["codes"]) == (-1, -4, -1)
    assert "-3 emails at step email-2" in difference["summary"]
    assert "-1 email at step email-1" in difference["summary"]
    assert "1 fewer code" in difference["summary"]
    carts = await api.http.get(f"/api/v1/simulations/{answer['id']}/carts")
    small = next(c for c in carts.json()["items"] if c["cart_id"] == "small")
    assert (small["entered"], small["not_entered"]) == (False, "filtered")
    assert small["compared"] == {"outcome": "completed", "emails": 2, "codes": 1}


async def test_the_carts_page_by_cursor_and_filter_by_outcome_and_flag(api: Api) -> None:
    # Without its exits the flow would email a customer who already bought: flagged.
    automation_id = await _automation(api, _definition(exit_on=[]))
    for n in range(5):
        await _abandon(api, f"c{n}", T0 + n * H)
    await _order(api, "c1", T0 + 3 * H)
    answer = (await _simulate(api, automation_id)).json()
    listing = f"/api/v1/simulations/{answer['id']}/carts"

    seen: list[str] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.http.get(listing, params=params)).json()
        seen += [cart["cart_id"] for cart in page["items"]]
        pages += 1
        if (cursor := page["next_cursor"]) is None:
            break
    assert (seen, pages) == (["c4", "c3", "c2", "c1", "c0"], 3)

    flagged = (await api.http.get(listing, params={"flagged": True})).json()
    [late] = flagged["items"]
    assert (late["cart_id"], late["late_sends"]) == ("c1", 1)
    assert answer["totals"]["late_sends"] == 1
    [example] = answer["totals"]["late_send_examples"]
    assert (example["cart_id"], example["step_id"], example["after"]) == (
        "c1",
        "email-2",
        "purchased",
    )
    unflagged = (await api.http.get(listing, params={"flagged": False})).json()
    assert [cart["cart_id"] for cart in unflagged["items"]] == ["c4", "c3", "c2", "c0"]
    completed = (await api.http.get(listing, params={"outcome": "completed"})).json()
    assert len(completed["items"]) == 5 and completed["next_cursor"] is None
    none = (await api.http.get(listing, params={"outcome": "purchased"})).json()
    assert none == {"items": [], "next_cursor": None}
    bad = await api.http.get(listing, params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and "cursor" in bad.json()["message"]


async def test_many_carts_run_as_a_job_with_the_totals_of_an_inline_run(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    automation_id = await _automation(api)
    for n in range(6):
        await _abandon(api, f"c{n}", T0 + n * H)
    await _order(api, "c2", T0 + 2 * H)
    monkeypatch.setattr(simulation, "BACKGROUND_ABOVE", 3)
    # One cart a batch, so the job reports its progress as it goes.
    batches_of = simulation.batches_of
    monkeypatch.setattr(simulation, "batches_of", lambda selected: batches_of(selected, size=1))

    started = await _simulate(api, automation_id, compare_to="live")

    assert started.status_code == 202, started.text
    job = started.json()
    assert (job["status"], job["carts"], job["done"], job["totals"]) == ("running", 6, 0, None)
    polled: list[dict[str, Any]] = []

    async def status() -> dict[str, Any]:
        response = await api.http.get(f"/api/v1/simulations/{job['id']}")
        assert response.status_code == 200, response.text
        polled.append(response.json())
        return polled[-1]

    done = await eventually(status, lambda answer: answer["status"] != "running")
    assert (done["status"], done["carts"], done["done"], done["error"]) == ("done", 6, 6, None)
    progress = [answer["done"] for answer in polled]
    assert progress == sorted(progress) and all(answer["carts"] == 6 for answer in polled)

    monkeypatch.setattr(simulation, "BACKGROUND_ABOVE", 2_000)
    inline = await _simulate(api, automation_id, compare_to="live")
    assert inline.status_code == 200, inline.text
    for figure in ("totals", "compared", "difference"):
        assert done[figure] == inline.json()[figure], figure
    assert done["totals"]["outcomes"] == {"completed": 5, "purchased": 1}
    listed = await api.http.get(f"/api/v1/simulations/{job['id']}/carts", params={"limit": 200})
    assert len(listed.json()["items"]) == 6
    assert (_count(api, Message), _count(api, DiscountCode)) == (0, 0)


async def _problem(response: Any, status: int = 422) -> str:
    assert response.status_code == status, response.text
    message: str = response.json()["message"]
    return message


async def test_bad_input_is_named_and_unknown_things_are_404(api: Api) -> None:
    automation_id = await _automation(api)
    await _abandon(api, "c0")

    both = await _problem(await _simulate(api, automation_id, definition=_definition(), version=1))
    assert "definition" in both and "version" in both
    for last in (0, 100_001):
        message = await _problem(await _simulate(api, automation_id, carts={"last": last}))
        assert message.startswith("carts.last:"), message
    ranged = await _simulate(api, automation_id, carts={"abandoned_from": "last tuesday"})
    assert "abandoned_from" in await _problem(ranged)
    broken = _definition()
    broken["steps"][1]["params"] = {"template": "no-such-template", "subject": "Hi"}
    invalid = await _simulate(api, automation_id, definition=broken)
    assert invalid.json().get("code") == "invalid_definition"
    assert "email-1" in await _problem(invalid)
    assert "compare_to" in await _problem(await _simulate(api, automation_id, compare_to=0))

    order_steps = [{"id": "thanks", "type": "action", "action": "send_email", "params": EMAIL}]
    on_orders = await _automation(api, {"trigger": {"event": "order_paid"}, "steps": order_steps})
    refused = await _simulate(api, on_orders)
    assert refused.json().get("code") == "not_a_cart_automation"
    assert "replays abandoned carts" in await _problem(refused)

    assert "version 9" in await _problem(await _simulate(api, automation_id, version=9), 404)
    await _problem(await _simulate(api, automation_id, compare_to=9), 404)
    await _problem(await _simulate(api, "aut_nope"), 404)
    await _problem(await api.http.get("/api/v1/simulations/sim_nope"), 404)
    await _problem(await api.http.get("/api/v1/simulations/sim_nope/carts"), 404)
    # Nothing half-written: no simulation was recorded by a refused request.
    assert _count(api, Simulation) == 0


async def test_results_are_kept_a_day(api: Api) -> None:
    automation_id = await _automation(api)
    await _abandon(api, "c0")
    answer = (await _simulate(api, automation_id)).json()
    created = datetime.fromisoformat(answer["created_at"])
    assert datetime.fromisoformat(answer["expires_at"]) - created == timedelta(days=1)
    assert (await api.http.get(f"/api/v1/simulations/{answer['id']}")).status_code == 200

    with session_scope(api.settings.resolved_database_url) as session:
        row = session.get(Simulation, answer["id"])
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)

    for path in (
        f"/api/v1/simulations/{answer['id']}",
        f"/api/v1/simulations/{answer['id']}/carts",
    ):
        message = await _problem(await api.http.get(path), 404)
        assert "kept for a day" in message
    await _simulate(api, automation_id)  # a new one purges what expired
    assert _count(api, Simulation) == 1


async def test_who_may_simulate(api: Api) -> None:
    automation_id = await _automation(api)
    await _abandon(api, "c0")
    path = f"/api/v1/automations/{automation_id}/simulate"
    done = (await api.http.post(path, json={})).json()  # as admin
    reads = [f"/api/v1/simulations/{done['id']}", f"/api/v1/simulations/{done['id']}/carts"]

    for role in (Role.marketer, Role.developer):
        headers = api.token(role)
        assert (await api.http.post(path, json={}, headers=headers)).status_code == 200, role
        for read in reads:
            assert (await api.http.get(read, headers=headers)).status_code == 200, (role, read)
    for role in (Role.support, Role.ingest, Role.storefront):
        headers = api.token(role)
        refused = await api.http.post(path, json={}, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden"), role
        for read in reads:
            assert (await api.http.get(read, headers=headers)).status_code == 403, (role, read)
