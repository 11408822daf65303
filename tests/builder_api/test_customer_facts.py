"""What the shop tells of its customers (the envelope's `customer` object) reaches greetings
and trigger filters; consent can be required; an order settles its cart."""

from datetime import timedelta
from typing import Any

from sqlmodel import select

from engine.service.idle_carts import abandon_idle_carts
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, DiscountCode, Enrolment, Order
from engine.store.types import utcnow
from tests.builder_api.conftest import Api
from tests.support import eventually


def _cart(cart_id: str, email: str, kind: str = "cart_abandoned", **data: Any) -> dict[str, Any]:
    return {
        "event": kind,
        "timestamp": "2024-01-15T14:30:00Z",
        "data": {"cart_id": cart_id, "customer_email": email, "total": 80,
                 "items": [{"id": "p1", "name": "Lamp", "price": 80, "quantity": 1}]} | data,
    }  # fmt: skip


def _reminder(filters: dict[str, Any] | None = None) -> dict[str, Any]:
    trigger: dict[str, Any] = {"event": "cart_abandoned"}
    if filters is not None:
        trigger["filters"] = filters
    return {
        "name": "Greets by name",
        "active": True,
        "definition": {
            "trigger": trigger,
            "exit_on": ["order_placed", "cart_recovered", "unsubscribed"],
            "steps": [{"id": "email-1", "type": "action", "action": "send_email",
                       "params": {"template": "cart-reminder",
                                  "subject": "Forgot something, {{ customer.first_name }}?"}}],
        },
    }  # fmt: skip


async def _post(api: Api, event: dict[str, Any]) -> None:
    response = await api.http.post("/api/v1/events", json=event)
    assert response.status_code == 202, response.text


def _customer(api: Api, email: str) -> Customer:
    with session_scope(api.settings.resolved_database_url) as session:
        customer = session.exec(select(Customer).where(Customer.email == email)).one()
        session.expunge(customer)
        return customer


def _entered(api: Api, automation_id: str) -> set[str]:
    with session_scope(api.settings.resolved_database_url) as session:
        rows = session.exec(
            select(Enrolment.subject_id).where(Enrolment.automation_id == automation_id)
        ).all()
        return set(rows)


async def test_the_first_name_the_shop_sent_greets_the_customer(api: Api) -> None:
    await api.create_automation(_reminder())
    facts = {"first_name": "Jane", "last_name": "Doe", "locale": "de-DE",
             "tags": ["newsletter"], "accepts_marketing": True, "registered": True}  # fmt: skip

    response = await api.http.post(
        "/api/v1/events", json=_cart("cart_cf1", "jane.cf@example.com", customer=facts)
    )

    assert response.status_code == 202, response.text
    [email] = await eventually(lambda: api.outbox("jane.cf@example.com"), lambda found: found)
    assert email["subject"] == "Forgot something, Jane?"
    customer = _customer(api, "jane.cf@example.com")
    assert (customer.first_name, customer.last_name, customer.locale) == ("Jane", "Doe", "de-DE")
    assert (customer.tags, customer.accepts_marketing, customer.registered) == (
        ["newsletter"],
        True,
        True,
    )


async def test_a_fact_left_out_keeps_what_the_shop_said_before(api: Api) -> None:
    first = _cart("cart_cf2", "keep.cf@example.com", "cart_updated",
                  customer={"first_name": "Kim", "accepts_marketing": True})  # fmt: skip
    later = _cart("cart_cf2", "keep.cf@example.com", "cart_updated",
                  customer={"last_name": "Lee"})  # fmt: skip
    later["timestamp"] = "2024-01-15T14:40:00Z"
    await _post(api, first)
    await _post(api, later)

    customer = _customer(api, "keep.cf@example.com")
    assert (customer.first_name, customer.last_name, customer.accepts_marketing) == (
        "Kim",
        "Lee",
        True,
    )


async def test_trigger_filters_tell_registered_customers_from_guests(api: Api) -> None:
    registered_only = {"all": [{"field": "customer.registered", "op": "eq", "value": True}]}
    automation_id = await api.create_automation(_reminder(registered_only))

    await _post(api, _cart("cart_cf3", "member.cf@example.com", customer={"registered": True}))
    await _post(api, _cart("cart_cf4", "guest.cf@example.com", customer={"registered": False}))
    await _post(api, _cart("cart_cf5", "unknown.cf@example.com"))

    assert _entered(api, automation_id) == {"cart_cf3"}


async def test_shop_tags_exclude_wholesale_customers(api: Api) -> None:
    no_wholesale = {"not": {"field": "customer.tags", "op": "contains", "value": "wholesale"}}
    automation_id = await api.create_automation(_reminder(no_wholesale))

    await _post(api, _cart("cart_cf6", "trade.cf@example.com", customer={"tags": ["wholesale"]}))
    await _post(api, _cart("cart_cf7", "retail.cf@example.com", customer={"tags": ["retail"]}))

    assert _entered(api, automation_id) == {"cart_cf7"}


async def test_with_consent_required_only_customers_who_accept_marketing_enter(api: Api) -> None:
    changed = await api.http.put("/api/v1/settings", json={"require_marketing_consent": True})
    assert changed.status_code == 200, changed.text
    assert changed.json()["shop"]["require_marketing_consent"] is True
    automation_id = await api.create_automation(_reminder())

    await _post(api, _cart("cart_cf8", "yes.cf@example.com", customer={"accepts_marketing": True}))
    await _post(api, _cart("cart_cf9", "no.cf@example.com", customer={"accepts_marketing": False}))
    await _post(api, _cart("cart_cf10", "silent.cf@example.com"))

    assert _entered(api, automation_id) == {"cart_cf8"}


async def test_an_order_recovers_its_abandoned_cart_and_uses_our_code(api: Api) -> None:
    with session_scope(api.settings.resolved_database_url) as session:
        session.add(DiscountCode(code="SAVE10-CFCODE", percent=10, idempotency_key="cf:code",
                                 expires_at=Cart().created_at))  # fmt: skip
    await api.http.post("/api/v1/events", json=_cart("cart_cf11", "buy.cf@example.com"))
    order = {"event": "order_placed", "timestamp": "2024-01-15T16:00:00Z",
             "data": {"order_id": "order_cf11", "cart_id": "cart_cf11", "total": 75,
                      "customer_email": "buy.cf@example.com",
                      "discount_codes": ["save10-cfcode"]}}  # fmt: skip

    response = await api.http.post("/api/v1/events", json=order)

    assert response.status_code == 202, response.text
    with session_scope(api.settings.resolved_database_url) as session:
        cart = session.get(Cart, "cart_cf11")
        code = session.exec(select(DiscountCode).where(DiscountCode.code == "SAVE10-CFCODE")).one()
        assert cart is not None
        assert (cart.status, cart.order_id) == ("recovered", "order_cf11")
        assert (code.order_id, code.times_used, code.used_at is not None) == ("order_cf11", 1, True)


async def test_a_cart_bought_before_it_was_idle_is_never_abandoned(api: Api) -> None:
    await _post(api, _cart("cart_cf12", "quick.cf@example.com", "cart_updated"))
    paid_at_checkout = _cart("cart_cf13", "quick.cf@example.com", "checkout_started",
                             completed_at="2024-01-15T14:31:00Z")  # fmt: skip
    await _post(api, paid_at_checkout)
    order = {"event": "order_paid", "timestamp": "2024-01-15T14:35:00Z",
             "data": {"order_id": "order_cf12", "cart_id": "cart_cf12", "total": 80}}  # fmt: skip
    await _post(api, order)

    with session_scope(api.settings.resolved_database_url) as session:
        # A day later, long idle: abandonment detection passes them by.
        abandon_idle_carts(session, api.settings, now=utcnow() + timedelta(days=1), limit=1000)
        statuses = {
            cart.id: cart.status
            for cart in session.exec(
                select(Cart).where(Cart.id.in_(["cart_cf12", "cart_cf13"]))  # type: ignore[attr-defined]
            )
        }
    assert statuses == {"cart_cf12": "ordered", "cart_cf13": "ordered"}


async def test_a_fulfilment_keeps_its_tracking_for_the_shipping_email(api: Api) -> None:
    shipped = {"event": "order_fulfilled", "timestamp": "2024-01-16T09:00:00Z",
               "data": {"order_id": "order_cf14", "customer_email": "ship.cf@example.com",
                        "tracking_number": "1Z999", "tracking_company": "UPS",
                        "tracking_url": "https://ups.example.com/track/1Z999"}}  # fmt: skip
    steps = [{"id": "ship", "type": "action", "action": "send_email",
              "params": {"template": "shipping-update"}}]  # fmt: skip
    await api.create_automation({"name": "Shipped", "active": True, "definition": {
        "trigger": {"event": "order_fulfilled"}, "exit_on": [], "steps": steps}})  # fmt: skip

    await api.http.post("/api/v1/events", json=shipped)

    [email] = await eventually(lambda: api.outbox("ship.cf@example.com"), lambda found: found)
    assert "1Z999" in email["text"] and "UPS" in email["text"]
    assert "https://ups.example.com/track/1Z999" in email["html"]
    with session_scope(api.settings.resolved_database_url) as session:
        order = session.get(Order, "order_cf14")
        assert order is not None and order.tracking_company == "UPS"
