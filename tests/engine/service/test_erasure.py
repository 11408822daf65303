"""Erasing a customer on a real database (engine/service/erasure.py): every place that names
them is emptied, the results do not move, a second erasure finds nothing, and the address,
kept only as a salted hash, stays unsubscribed when the shop sends it again."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select as select_rows
from sqlmodel import Session, SQLModel, select

from engine.runtime.settings import Settings
from engine.service import analytics, customer_export, erased_addresses, erasure
from engine.store.db import session_scope
from engine.store.models import (
    BulkMessageRun,
    Cart,
    Customer,
    DataRequest,
    DiscountCode,
    Enrolment,
    ErasedAddress,
    Event,
    JourneyRecord,
    Message,
    Order,
    PlatformDelivery,
    Suppression,
)
from tests.engine.service.support import install_automation
from tests.shop_history import abandoned, email, now, record, recovered, updated

ADDRESS = "erin.erasure@example.com"
HOUR = timedelta(hours=1)


def ago(moment: datetime, days: float) -> datetime:
    return moment - timedelta(days=days)


def history(url: str, settings: Settings, today: datetime) -> str:
    """Erin's abandoned cart and her recovered one (with its order, shipped), their emails,
    a discount code, journey records, a data request, a bulk message that looked for her and
    a platform delivery that named her; and a bystander's cart. The automation's id."""
    automation_id = install_automation(settings)
    erin = abandoned("cart_erin_lost", ADDRESS, ago(today, 10))
    erin["data"]["customer"] = {"first_name": "Erin", "last_name": "Erasmus"}
    shipped = {
        "event": "order_fulfilled", "id": "evt_order_erin_fulfilled",
        "timestamp": ago(today, 5).isoformat(),
        "data": {"order_id": "order_erin", "customer_email": ADDRESS, "total": 130,
                 "tracking_number": "TRACK-ERIN-1", "tracking_url": "https://track.example/1"},
    }  # fmt: skip
    record(
        url,
        settings,
        erin,
        abandoned("cart_erin_won", ADDRESS, ago(today, 8), total=120),
        recovered("cart_erin_won", ADDRESS, ago(today, 7), "order_erin"),
        shipped,
        abandoned("cart_bob", "bob@example.com", ago(today, 9)),
        recovered("cart_bob", "bob@example.com", ago(today, 8), "order_bob"),
        updated("cart_bob_new", ago(today, 1), "bob@example.com"),
    )
    reports = (("delivered", timedelta(minutes=1)), ("clicked", HOUR))
    for cart_id, to, days in (
        ("cart_erin_lost", ADDRESS, 10),
        ("cart_erin_won", ADDRESS, 8),
        ("cart_bob", "bob@example.com", 9),
    ):
        email(url, to, ago(today, days) + HOUR, cart_id=cart_id, automation_id=automation_id,
              reports=reports)  # fmt: skip
    with session_scope(url) as session:
        erin_id = session.exec(select(Customer.id).where(Customer.email == ADDRESS)).one()
        session.add(
            DiscountCode(
                code="SAVE10-ERIN", percent=10, expires_at=today, cart_id="cart_erin_won",
                customer_id=erin_id, idempotency_key="journey:x:cart_erin_won:code",
            )
        )  # fmt: skip
        session.add(
            JourneyRecord(
                workflow_id=f"journey:{automation_id}:cart_erin_won", automation_id=automation_id,
                automation_version=1, subject_id="cart_erin_won", cart_id="cart_erin_won",
                customer_id=erin_id, seq=1, step_id="wait-1", type="entered",
                at=ago(today, 8),
            )
        )  # fmt: skip
        session.add(DataRequest(platform="shopify", email=ADDRESS, orders=["order_erin"]))
        session.add(
            BulkMessageRun(
                filter={"email": "Erin.Erasure@Example.com", "status": "lost"}, template="t"
            )
        )
        session.add(
            PlatformDelivery(
                platform="shopify", delivery_id="d1", topic="checkouts/update", result="failed",
                detail=f"refused: {ADDRESS} is not a valid ...",
            )
        )  # fmt: skip
        session.add(Suppression(email=ADDRESS, reason="unsubscribed"))
    return automation_id


def figures(session: Session, settings: Settings, automation_id: str, today: date) -> Any:
    when = analytics.period(today - timedelta(days=29), today)
    return (
        analytics.overview(session, when).model_dump(),
        analytics.automation_results(session, settings, automation_id, when).model_dump(),
    )


def unchanged(after: Any, before: Any) -> bool:
    """The overview, every figure; the automation's totals and daily series, and each
    version's entries and emails. An erased recovered cart no longer says which version, step
    or variant recovered it (its row is gone): those counts lose it (docs/privacy.md)."""
    (overview, automation), (overview_before, automation_before) = after, before
    assert overview == overview_before
    for part in ("totals", "daily"):
        assert automation[part] == automation_before[part], part
    versions = [(v["version"], v["entered"], v["sent"]) for v in automation["versions"]]
    assert versions == [
        (v["version"], v["entered"], v["sent"]) for v in automation_before["versions"]
    ]
    return True


def mentions(session: Session, *needles: str) -> list[str]:
    """Every row of every table that holds one of `needles` (any case), as `table: row`."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for row in session.connection().execute(select_rows(table)).all():
            text = str(tuple(row)).lower()
            if any(needle.lower() in text for needle in needles):
                found.append(f"{table.name}: {text}")
    return found


async def test_erasure_reaches_every_place_and_leaves_the_results_alone(
    url: str, settings: Settings
) -> None:
    today = now()
    automation_id = history(url, settings, today)
    with session_scope(url) as session:
        before = figures(session, settings, automation_id, today.date())
        held = customer_export.summary(session, ADDRESS)["held"]
        bob_before = customer_export.summary(session, "bob@example.com")["held"]
        assert before[0]["carts_recovered"] == 2 and before[0]["revenue"][0]["amount"] == "230.00"

    with session_scope(url) as session:
        done = await erasure.erase(session, None, ADDRESS.upper())

    assert done.found and done.customer_id is not None
    assert done.removed == {kind: count for kind, count in held.items() if count}
    assert done.removed["carts"] == 2 and done.removed["orders"] == 1
    assert done.removed["suppression"] == 1 and done.removed["bulk_messages"] == 1
    # Temporal was not asked (None): each journey stops at its next action, its records gone.
    assert (done.journeys_cancelled, done.journeys_not_reached) == (0, 2)
    with session_scope(url) as session:
        assert mentions(session, ADDRESS, "erasmus", "TRACK-ERIN", "recover/cart_erin") == []
        assert session.exec(select(Cart.id).where(Cart.id.startswith("cart_erin"))).all() == []
        order = session.get(Order, "order_erin")
        assert order is not None, "a sale stays a sale"
        assert (order.customer_id, order.tracking_number, order.total) == (None, None, Decimal(130))
        journeys = [*session.exec(select(Enrolment)), *session.exec(select(JourneyRecord))]
        erins = [j for j in journeys if (j.cart_id or "").startswith("cart_erin")]
        assert len(erins) == 3 and all(j.customer_id is None for j in erins)
        code = session.exec(select(DiscountCode)).one()
        assert (code.code, code.customer_id, code.cart_id) == ("SAVE10-ERIN", None, None)
        erin_mail = session.exec(select(Message).where(Message.to_email == "")).all()
        assert len(erin_mail) == 2 and all(m.status == "sent" for m in erin_mail)
        assert customer_export.summary(session, "bob@example.com")["held"] == bob_before
        assert unchanged(figures(session, settings, automation_id, today.date()), before)

    with session_scope(url) as session:
        again = await erasure.erase(session, None, ADDRESS)

    assert (again.found, again.removed, again.customer_id) == (False, {}, None)
    with session_scope(url) as session:
        assert unchanged(figures(session, settings, automation_id, today.date()), before)
        summary = customer_export.summary(session, ADDRESS)
        assert summary["erased_before"] and not any(summary["held"].values())


async def test_the_address_stays_unsubscribed_as_a_hash(url: str, settings: Settings) -> None:
    today = now()
    automation_id = install_automation(settings)
    record(url, settings, abandoned("cart_1", ADDRESS, ago(today, 2)))
    with session_scope(url) as session:
        await erasure.erase(session, None, ADDRESS)

    with session_scope(url) as session:
        [erased] = session.exec(select(ErasedAddress)).all()
        assert ADDRESS not in erased.address_hash and len(erased.address_hash) == 64
        assert mentions(session, ADDRESS, "erin.erasure") == []
        assert erased_addresses.was_erased(session, "  Erin.Erasure@EXAMPLE.com ")
        assert not erased_addresses.was_erased(session, "someone.else@example.com")

    # The shop sends the address again, in another case: a customer again, suppressed at
    # once, entering no automation.
    record(url, settings, abandoned("cart_2", "Erin.Erasure@Example.COM", ago(today, 1)))

    with session_scope(url) as session:
        customer = session.exec(select(Customer).where(Customer.email == ADDRESS)).one()
        suppression = session.get(Suppression, ADDRESS)
        assert suppression is not None and suppression.reason == erased_addresses.REASON
        assert erased_addresses.stays_out(session, customer)
        cart = session.get(Cart, "cart_2")
        assert cart is not None and cart.status == "abandoned"
        assert session.exec(select(Enrolment).where(Enrolment.cart_id == "cart_2")).all() == []
        event = session.get(Event, "evt_cart_2_abandoned")
        assert event is not None and event.effects == []
        assert len(session.exec(select(ErasedAddress)).all()) == 1
        # Another address enters as usual.
    record(url, settings, abandoned("cart_3", "other@example.com", ago(today, 1)))
    with session_scope(url) as session:
        [entered] = session.exec(select(Enrolment).where(Enrolment.cart_id == "cart_3")).all()
        assert entered.automation_id == automation_id
