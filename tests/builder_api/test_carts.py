"""The carts list, its CSV, a cart's detail and recovery links, through the real stack: carts
made by events where an event can make the state, by rows where none can."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import select

from engine.store.db import session_scope
from engine.store.models import (
    Cart,
    Customer,
    DiscountCode,
    Enrolment,
    JourneyRecord,
    Message,
    MessageEvent,
    Suppression,
)
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event

DAY = datetime(2024, 1, 15, tzinfo=UTC)


async def _abandon(api: Api, cart_id: str, email: str | None, **data: Any) -> None:
    event = cart_event(CART_ABANDONED, cart_id, email)
    event["id"] = f"evt-{cart_id}"
    event["data"].update(data)
    if email is None:  # a guest's cart: only cart activity, no address
        event["event"] = "cart_updated"
        event["data"].pop("customer_email")
    response = await api.http.post("/api/v1/events", json=event)
    assert response.status_code == 202, response.text


def _write(api: Api, *rows: Any) -> None:
    with session_scope(api.settings.resolved_database_url) as session:
        for row in rows:
            session.merge(row)


def _set_cart(api: Api, cart_id: str, **values: Any) -> None:
    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(Cart, cart_id)
        assert cart is not None
        for key, value in values.items():
            setattr(cart, key, value)
        session.add(cart)


async def _ids(api: Api, **params: Any) -> list[str]:
    response = await api.http.get("/api/v1/carts", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["carts"])
    return sorted(cart["id"] for cart in body["carts"])


async def _shop(api: Api) -> None:
    """Carts in each state. a: abandoned, registered, 280.77 USD, in a journey; b: abandoned
    guest-flagged customer, EUR 50, journey finished; c: recovered; d: lost; e: ordered;
    f: active guest cart (no email); g: abandoned, suppressed address."""
    await _abandon(api, "cart_a", "ann@example.com", customer={"registered": True},
                   abandoned_at="2024-01-15T10:00:00Z")  # fmt: skip
    await _abandon(api, "cart_b", "bob@shop.example", currency="EUR", total=50,
                   abandoned_at="2024-01-16T10:00:00Z", customer={"registered": False})  # fmt: skip
    await _abandon(api, "cart_c", "cy@example.com", abandoned_at="2024-01-17T10:00:00Z")
    await _abandon(api, "cart_d", "di@example.com", abandoned_at="2024-01-18T10:00:00Z")
    await _abandon(api, "cart_e", "ed@example.com", abandoned_at="2024-01-19T10:00:00Z")
    await _abandon(api, "cart_f", None)
    await _abandon(api, "cart_g", "gone@example.com", abandoned_at="2024-01-20T10:00:00Z")
    _set_cart(api, "cart_c", status="recovered", recovered_at=DAY + timedelta(days=3))
    _set_cart(api, "cart_d", status="lost")
    _set_cart(api, "cart_e", status="ordered", abandoned_at=None)
    _write(
        api,
        Suppression(email="gone@example.com"),
        Enrolment(automation_id="aut_x", automation_version=1, subject_id="cart_a",
                  cart_id="cart_a", enrolled_at=DAY),
        Enrolment(automation_id="aut_x", automation_version=1, subject_id="cart_b",
                  cart_id="cart_b", enrolled_at=DAY),
        Enrolment(automation_id="aut_y", automation_version=1, subject_id="cart_c",
                  cart_id="cart_c", enrolled_at=DAY),
        JourneyRecord(workflow_id="journey:aut_x:cart_b", automation_id="aut_x",
                      automation_version=1, subject_id="cart_b", cart_id="cart_b", seq=1,
                      step_id="completed", type="finish", at=DAY + timedelta(hours=2),
                      detail={"outcome": "completed"}),
    )  # fmt: skip


async def _automations(api: Api) -> None:
    """The enrolments above name automations that must exist (a foreign key)."""
    from engine.store.models import Automation

    _write(api, Automation(id="aut_x", name="Reminder X"), Automation(id="aut_y", name="Y"))


async def test_every_filter_of_the_contract(api: Api) -> None:
    await _automations(api)
    await _shop(api)

    assert await _ids(api) == [f"cart_{c}" for c in "abcdefg"]
    assert await _ids(api, status="abandoned") == ["cart_a", "cart_b", "cart_g"]
    assert await _ids(api, status="active") == ["cart_f"]
    assert await _ids(api, status=["recovered", "lost"]) == ["cart_c", "cart_d"]
    assert await _ids(api, status="ordered") == ["cart_e"]
    assert await _ids(api, status="in_journey") == ["cart_a", "cart_c"]
    assert await _ids(api, status="not_contactable") == ["cart_f", "cart_g"]
    assert await _ids(api, customer="registered") == ["cart_a"]
    assert await _ids(api, customer="guest") == [f"cart_{c}" for c in "bcdefg"]
    assert await _ids(api, abandoned_from="2024-01-16", abandoned_to="2024-01-17") == [
        "cart_b",
        "cart_c",
    ]
    assert await _ids(api, abandoned_to="2024-01-15T10:00:01Z") == ["cart_a"]
    assert await _ids(api, automation_id="aut_x") == ["cart_a", "cart_b"]
    assert await _ids(api, min_total="50", max_total="50.00") == ["cart_b"]
    assert await _ids(api, min_total="100") == [f"cart_{c}" for c in "acdefg"]
    assert await _ids(api, currency="eur") == ["cart_b"]
    assert await _ids(api, email="SHOP.EX") == ["cart_b"]
    assert await _ids(api, email="%") == []  # a literal percent sign, not a wildcard

    listed = (await api.http.get("/api/v1/carts", params={"status": "abandoned"})).json()
    first = listed["carts"][0]
    assert first["id"] == "cart_g"  # newest abandonment first
    assert first["contactable"] is False and first["total"] == "280.77"
    by_id = {c["id"]: c for c in listed["carts"]}
    assert by_id["cart_a"]["in_journey"] is True and by_id["cart_b"]["in_journey"] is False
    assert by_id["cart_a"]["registered"] is True and by_id["cart_a"]["item_count"] == 3

    # Consent required: carts whose customer never said yes are not contactable.
    await api.http.put("/api/v1/settings", json={"require_marketing_consent": True})
    assert await _ids(api, status="not_contactable") == [f"cart_{c}" for c in "abcdefg"]


async def test_bad_filters_answer_422_naming_the_field(api: Api) -> None:
    for params, field in [
        ({"status": "sleeping"}, "status"),
        ({"abandoned_from": "yesterday"}, "abandoned_from"),
        ({"sort": "email"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"cursor": "nonsense"}, "cursor"),
    ]:
        response = await api.http.get("/api/v1/carts", params=params)
        assert response.status_code == 422, (params, response.text)
        assert field in response.json()["message"]


async def test_sorting_and_cursor_pagination_visit_each_cart_once(api: Api) -> None:
    for n in range(7):
        await _abandon(api, f"cart_{n}", f"p{n}@example.com", total=10 * (n % 3),
                       abandoned_at=f"2024-01-1{n % 4}T10:00:00Z")  # fmt: skip
    await _abandon(api, "cart_guest", None)  # no abandoned_at: last in either direction

    for sort in ("abandoned_at", "-abandoned_at", "total", "-total", "updated_at", "-updated_at"):
        seen: list[dict[str, Any]] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"sort": sort, "limit": 3}
            if cursor:
                params["cursor"] = cursor
            body = (await api.http.get("/api/v1/carts", params=params)).json()
            assert body["total"] == 8
            seen += body["carts"]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == 8 and len({c["id"] for c in seen}) == 8, sort
        key = sort.lstrip("-")
        values = [c[key] for c in seen if c[key] is not None]
        as_numbers = [Decimal(v) for v in values] if key == "total" else values
        assert as_numbers == sorted(as_numbers, reverse=sort.startswith("-")), sort
        if key == "abandoned_at":
            assert seen[-1]["id"] == "cart_guest"


async def test_the_csv_reads_back_with_pythons_csv(api: Api) -> None:
    await _abandon(api, "cart_csv", "zoe@example.com",
                   customer={"first_name": "Zoë, the", "last_name": "Ünlü"})  # fmt: skip
    await _abandon(api, "cart_other", "other@example.com", currency="EUR")

    for response in (
        await api.http.get("/api/v1/carts.csv", params={"currency": "USD"}),
        await api.http.get(
            "/api/v1/carts", params={"currency": "USD"}, headers={"Accept": "text/csv"}
        ),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.headers["content-disposition"] == 'attachment; filename="carts.csv"'
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
        assert rows[0] == [
            "id", "status", "customer_email", "customer_name", "registered", "contactable",
            "in_journey", "item_count", "total", "currency", "abandoned_at", "recovered_at",
            "updated_at", "order_id",
        ]  # fmt: skip
        assert len(rows) == 2
        record = dict(zip(rows[0], rows[1], strict=True))
        assert record["customer_name"] == "Zoë, the Ünlü"
        assert (record["id"], record["total"], record["currency"]) == ("cart_csv", "280.77", "USD")


async def test_a_carts_detail_merges_its_timeline(api: Api) -> None:
    await _automations(api)
    await _abandon(api, "cart_t", "tess@example.com", abandoned_at="2024-01-15T10:00:00Z")
    order = {"event": "order_placed", "timestamp": "2024-01-15T16:00:00Z", "id": "evt-ord",
             "data": {"order_id": "order_t", "cart_id": "cart_t", "total": 280.77,
                      "customer_email": "tess@example.com"}}  # fmt: skip
    assert (await api.http.post("/api/v1/events", json=order)).status_code == 202
    wid = "journey:aut_x:cart_t"
    _write(
        api,
        Enrolment(automation_id="aut_x", automation_version=1, subject_id="cart_t",
                  cart_id="cart_t", enrolled_at=DAY + timedelta(hours=11)),
        JourneyRecord(workflow_id=wid, automation_id="aut_x", automation_version=1,
                      subject_id="cart_t", cart_id="cart_t", seq=0, step_id="email-1",
                      type="sent", at=DAY + timedelta(hours=12), detail={"message_id": 1}),
        JourneyRecord(workflow_id=wid, automation_id="aut_x", automation_version=1,
                      subject_id="cart_t", cart_id="cart_t", seq=1, step_id="order_placed",
                      type="finish", at=DAY + timedelta(hours=16),
                      detail={"outcome": "recovered"}),
        Message(id=1, idempotency_key=f"{wid}:email-1", automation_id="aut_x",
                cart_id="cart_t", step_id="email-1", to_email="tess@example.com",
                subject="Forgot something?", html="", text="", transport="outbox",
                status="sent", created_at=DAY + timedelta(hours=12),
                sent_at=DAY + timedelta(hours=12)),
        MessageEvent(message_id=1, event="delivered", source="brevo",
                     occurred_at=DAY + timedelta(hours=12, minutes=1), dedupe_key="d1"),
        MessageEvent(message_id=1, event="clicked", source="link",
                     occurred_at=DAY + timedelta(hours=13), dedupe_key="c1"),
    )  # fmt: skip

    response = await api.http.get("/api/v1/carts/cart_t")
    assert response.status_code == 200, response.text
    cart = response.json()

    assert cart["customer"]["email"] == "tess@example.com"
    assert [i["name"] for i in cart["items"]] == ["Premium Headphones", "Phone Case"]
    assert cart["subtotal"] == "259.97" and cart["tax"] == "20.80"
    assert cart["journeys"] == [{
        "id": wid, "automation_id": "aut_x", "automation_name": "Reminder X",
        "outcome": "recovered", "started_at": "2024-01-15T11:00:00Z",
        "closed_at": "2024-01-15T16:00:00Z"}]  # fmt: skip
    [message] = cart["messages"]
    assert [e["event"] for e in message["events"]] == ["delivered", "clicked"]
    assert [(o["id"], o["total"]) for o in cart["orders"]] == [("order_t", "280.77")]
    # `cart_created` is when Boomerang first heard of the cart: today, after these 2024 events.
    kinds = [entry["kind"] for entry in cart["timeline"] if entry["kind"] != "cart_created"]
    assert kinds == [
        "abandoned", "entered", "step", "message_sent", "message_event", "message_event",
        "step", "order", "recovered",  # the order recovered the abandoned cart
    ]  # fmt: skip
    assert cart["timeline"][-1]["kind"] == "cart_created"
    times = [entry["at"] for entry in cart["timeline"]]
    assert times == sorted(times)
    assert (await api.http.get("/api/v1/carts/nope")).status_code == 404


async def test_a_recovery_link_leads_to_the_cart_and_may_carry_a_code(api: Api) -> None:
    await _abandon(api, "cart_r", "rae@example.com")

    plain = await api.http.post("/api/v1/carts/cart_r/recovery-link", json={})
    with_code = await api.http.post(
        "/api/v1/carts/cart_r/recovery-link",
        json={"discount_percent": 15, "discount_expires_in": "48h"},
    )

    assert plain.status_code == 200, plain.text
    assert plain.json()["code"] is None
    token = plain.json()["url"].rsplit("/r/", 1)[1]
    followed = await api.http.get(f"/r/{token}", follow_redirects=False)
    assert followed.status_code in (302, 303, 307)
    assert followed.headers["location"] == "https://store.example.com/cart/recover/abc123"
    code = with_code.json()
    assert code["code"].startswith("SAVE15-")
    with session_scope(api.settings.resolved_database_url) as session:
        stored = session.exec(select(DiscountCode).where(DiscountCode.code == code["code"])).one()
        assert (stored.cart_id, stored.percent, stored.status) == ("cart_r", 15, "created")
        customer = session.exec(select(Customer).where(Customer.email == "rae@example.com")).one()
        assert stored.customer_id == customer.id
    expires = datetime.fromisoformat(code["code_expires_at"])
    assert timedelta(hours=47) < expires - datetime.now(UTC) <= timedelta(hours=48)
    assert (await api.http.post("/api/v1/carts/nope/recovery-link", json={})).status_code == 404
