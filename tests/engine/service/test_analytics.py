"""Results against a generated shop whose expected figures this test computes itself, in plain
Python over the rows it generated (never with engine/service/analytics.py)."""

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from engine.language.interpreter import in_holdout
from engine.language.results import VariantResults
from engine.language.statistics import compact_duration, newcombe_difference, probability_best
from engine.runtime.settings import Settings
from engine.service import analytics, shop_settings
from engine.service.shop_settings import ShopSettingsChange
from engine.store.db import session_scope
from engine.store.models import (
    Automation,
    AutomationVersion,
    Cart,
    Customer,
    Enrolment,
    JourneyRecord,
    Message,
    MessageEvent,
    Order,
    Suppression,
)

FIRST, LAST = date(2026, 1, 1), date(2026, 1, 30)
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2026, 1, 31, tzinfo=UTC)
AUTOMATION = "aut_results"
HOLDOUT = 20
VARIANTS = {"urgency": "email-2a", "friendly": "email-2b"}
DEFINITION = {
    "name": "Results",
    "trigger": {"event": "cart_abandoned"},
    "settings": {"holdout_percent": HOLDOUT},
    "steps": [
        {"id": "wait-1", "type": "wait", "duration": "1h"},
        {"id": "email-1", "type": "action", "action": "send_email", "params": {}},
        {"id": "split", "type": "ab_split", "variants": [
            {"name": name, "weight": 50, "steps": [
                {"id": step, "type": "action", "action": "send_email", "params": {}}]}
            for name, step in VARIANTS.items()]},
    ],
}  # fmt: skip


@dataclass
class Mail:
    id: int
    cart_id: str
    step_id: str
    sent_at: datetime
    events: list[tuple[str, datetime]] = field(default_factory=list)


@dataclass
class Shop:
    carts: list[Cart]
    orders: dict[str, Order]
    contactable: set[str]
    enrolled: dict[str, datetime]
    held_out: set[str]
    variant: dict[str, str]
    mails: list[Mail]


def generate(url: str, seed: int = 14) -> Shop:
    """600 carts around January 2026 with their customers, journeys, emails and events."""
    rng = random.Random(seed)
    carts: list[Cart] = []
    orders: dict[str, Order] = {}
    contactable: set[str] = set()
    enrolled: dict[str, datetime] = {}
    held_out: set[str] = set()
    variant: dict[str, str] = {}
    mails: list[Mail] = []
    customers: list[Any] = []
    rows: list[Any] = [
        Automation(id=AUTOMATION, name="Results", status="active"),
        AutomationVersion(automation_id=AUTOMATION, version=1, definition=DEFINITION),
    ]
    for n in range(600):
        cart_id = f"cart_{n}"
        made = START - timedelta(days=5) + timedelta(hours=rng.uniform(0, 40 * 24))
        kind = rng.random()
        customer_id = None
        if kind < 0.85:
            customer_id = f"cus_{n}"
            customers.append(Customer(id=customer_id, email=f"c{n}@example.com"))
            if rng.random() < 0.1:
                customers.append(Suppression(email=f"c{n}@example.com"))
            else:
                contactable.add(cart_id)
        currency = rng.choice(["USD", "EUR"])
        total = Decimal(rng.randrange(1000, 30000)) / 100
        cart = Cart(
            id=cart_id, customer_id=customer_id, total=total, currency=currency,
            created_at=made, updated_at=made,
        )  # fmt: skip
        carts.append(cart)
        if rng.random() < 0.25:
            cart.status = "ordered"
            continue
        cart.abandoned_at = made + timedelta(minutes=30)
        cart.status = rng.choice(["abandoned", "lost", "recovered", "recovered"])
        if cart.status == "recovered":
            cart.recovered_at = cart.abandoned_at + timedelta(hours=rng.uniform(0.5, 9 * 24))
            if rng.random() < 0.7:  # the order, as the shop reported it, counts over the cart
                order = Order(
                    id=f"ord_{n}", cart_id=cart_id, placed_at=cart.recovered_at,
                    total=total + Decimal("1.25"), currency=currency,
                )  # fmt: skip
                orders[order.id] = order
                cart.order_id = order.id
                rows.append(order)
            elif rng.random() < 0.5:
                cart.order_id = f"ord_unknown_{n}"  # an order we never heard of: the cart's total
        if customer_id is None:
            continue
        enrolled[cart_id] = cart.abandoned_at + timedelta(minutes=1)
        rows.append(
            Enrolment(
                automation_id=AUTOMATION, automation_version=1, subject_id=cart_id,
                cart_id=cart_id, customer_id=customer_id, enrolled_at=enrolled[cart_id],
            )
        )  # fmt: skip
        if in_holdout(cart_id, HOLDOUT):
            held_out.add(cart_id)
            continue
        steps = [("email-1", timedelta(hours=1))]
        if rng.random() < 0.9:  # some recover or leave before the split
            variant[cart_id] = rng.choice(list(VARIANTS))
            rows.append(
                JourneyRecord(
                    workflow_id=f"journey:{AUTOMATION}:{cart_id}", automation_id=AUTOMATION,
                    automation_version=1, subject_id=cart_id, cart_id=cart_id, seq=2,
                    step_id="split", type="ab_split", at=cart.abandoned_at,
                    detail={"variant": variant[cart_id]},
                )
            )  # fmt: skip
            steps.append((VARIANTS[variant[cart_id]], timedelta(hours=25)))
        for step_id, after in steps:
            mail = Mail(len(mails) + 1, cart_id, step_id, cart.abandoned_at + after)
            for event, share in (
                ("delivered", 0.9), ("opened", 0.4), ("proxy_opened", 0.1), ("clicked", 0.3),
                ("hard_bounce", 0.03), ("unsubscribed", 0.02),
            ):  # fmt: skip
                if rng.random() < share:
                    mail.events.append((event, mail.sent_at + timedelta(hours=rng.uniform(0, 60))))
            mails.append(mail)
    for mail in mails:
        rows.append(
            Message(
                id=mail.id, idempotency_key=f"journey:{AUTOMATION}:{mail.cart_id}:{mail.step_id}",
                automation_id=AUTOMATION, cart_id=mail.cart_id, step_id=mail.step_id,
                to_email="x@example.com", subject="s", html="", text="", transport="outbox",
                status="sent", sent_at=mail.sent_at, created_at=mail.sent_at,
            )
        )  # fmt: skip
        rows += [
            MessageEvent(
                message_id=mail.id,
                event=event,
                source="brevo",
                occurred_at=at,
                dedupe_key=f"{mail.id}:{event}:{i}",
            )
            for i, (event, at) in enumerate(mail.events)
        ]
    with session_scope(url) as session:
        session.add_all(customers)
        session.flush()
        session.add_all(carts)
        session.flush()
        session.add_all(rows)
    return Shop(carts, orders, contactable, enrolled, held_out, variant, mails)


def inside(moment: datetime | None) -> bool:
    return moment is not None and START <= moment < END


def revenue_of(shop: Shop, cart: Cart) -> tuple[str, Decimal]:
    order = shop.orders.get(cart.order_id or "")
    return (order.currency, order.total) if order else (cart.currency, cart.total)


def expected_attribution(
    shop: Shop, cart: Cart, click_days: int, delivery_days: int
) -> tuple[str, Mail] | None:
    """Written from docs/analytics.md, apart from the code under test."""
    assert cart.recovered_at is not None
    back = cart.recovered_at
    mails = [m for m in shop.mails if m.cart_id == cart.id]
    clicks = [
        (at, m)
        for m in mails
        for event, at in m.events
        if event == "clicked" and back - timedelta(days=click_days) <= at <= back
    ]
    if clicks:
        return "click", max(clicks, key=lambda pair: pair[0])[1]
    deliveries = []
    for m in mails:
        delivered = [at for event, at in m.events if event == "delivered"]
        moment = min(delivered) if delivered else m.sent_at
        if back - timedelta(days=delivery_days) <= moment <= back:
            deliveries.append((moment, m))
    if deliveries:
        return "delivery", max(deliveries, key=lambda pair: pair[0])[1]
    return None


def wilson(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = x / n
    centre, spread = p + z * z / (2 * n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


def beta_b_beats_a(a: tuple[int, int], b: tuple[int, int]) -> float:
    """P(p_B > p_A) for Beta posteriors, in closed form (Evan Miller's formula)."""
    alpha_a, beta_a = 1 + a[0], 1 + a[1] - a[0]
    alpha_b, beta_b = 1 + b[0], 1 + b[1] - b[0]

    def log_beta(x: float, y: float) -> float:
        return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)

    return sum(
        math.exp(
            log_beta(alpha_a + i, beta_a + beta_b)
            - math.log(beta_b + i)
            - log_beta(1 + i, beta_b)
            - log_beta(alpha_a, beta_a)
        )
        for i in range(alpha_b)
    )


@pytest.fixture
def shop(url: str) -> Shop:
    return generate(url)


def test_the_overview_matches_the_generated_shop(url: str, shop: Shop) -> None:
    abandoned = [c for c in shop.carts if inside(c.abandoned_at)]
    recovered = [c for c in shop.carts if c.status == "recovered" and inside(c.recovered_at)]
    revenue: dict[str, Decimal] = {}
    for cart in recovered:
        currency, amount = revenue_of(shop, cart)
        revenue[currency] = revenue.get(currency, Decimal(0)) + amount
    mails_in = [m for m in shop.mails if inside(m.sent_at)]
    with_event = {
        kind: {m.id for m in shop.mails for event, at in m.events if event == kind and inside(at)}
        for kind in ("delivered", "opened", "proxy_opened", "clicked", "hard_bounce")
    }
    waits = sorted(
        (c.recovered_at - c.abandoned_at).total_seconds()
        for c in recovered
        if c.recovered_at and c.abandoned_at
    )
    middle = (waits[len(waits) // 2] + waits[(len(waits) - 1) // 2]) / 2
    created = [c for c in shop.carts if inside(c.created_at) and c.status != "active"]

    with session_scope(url) as session:
        result = analytics.overview(session, analytics.Period(FIRST, LAST))

    assert len(recovered) > 50 and len(revenue) == 2
    assert result.carts_abandoned == len(abandoned)
    assert result.carts_contactable == len([c for c in abandoned if c.id in shop.contactable])
    assert result.carts_entered == len([c for c, at in shop.enrolled.items() if inside(at)])
    assert result.carts_recovered == len(recovered)
    assert result.recovery_rate == round(100 * len(recovered) / len(abandoned), 1)
    assert result.abandonment_rate == round(
        100 * len([c for c in created if c.status != "ordered"]) / len(created), 1
    )
    assert {a.currency: Decimal(a.amount) for a in result.revenue} == revenue
    assert result.emails.sent == len(mails_in)
    assert result.emails.delivered == len(with_event["delivered"])
    assert result.emails.opened == len(with_event["opened"])
    assert result.emails.proxy_opened == len(with_event["proxy_opened"])
    assert result.emails.clicked == len(with_event["clicked"])
    assert result.emails.bounced == len(with_event["hard_bounce"])
    assert result.emails.open_rate == round(
        100 * len(with_event["opened"]) / len(with_event["delivered"]), 1
    )
    assert result.median_time_to_recovery == compact_duration(middle)
    assert [d.date for d in result.daily] == [FIRST + timedelta(days=n) for n in range(30)]
    assert sum(d.recovered for d in result.daily) == len(recovered)
    assert sum(d.abandoned for d in result.daily) == len(abandoned)
    assert sum(d.sent for d in result.daily) == len(mails_in)


@pytest.mark.parametrize(("click_days", "delivery_days"), [(5, 5), (1, 3)])
def test_recoveries_belong_to_the_last_click_else_the_last_delivery_else_none(
    url: str, shop: Shop, settings: Settings, click_days: int, delivery_days: int
) -> None:
    with session_scope(url) as session:
        shop_settings.update(
            session,
            ShopSettingsChange(
                attribution_click_days=click_days, attribution_delivery_days=delivery_days
            ),
        )
    recovered = [c for c in shop.carts if c.status == "recovered" and inside(c.recovered_at)]
    per_step: dict[str, int] = {}
    branches: dict[str | None, int] = {}
    for cart in recovered:
        found = expected_attribution(shop, cart, click_days, delivery_days)
        branches[found[0] if found else None] = branches.get(found[0] if found else None, 0) + 1
        if found:
            per_step[found[1].step_id] = per_step.get(found[1].step_id, 0) + 1

    with session_scope(url) as session:
        result = analytics.automation_results(
            session, settings, AUTOMATION, analytics.Period(FIRST, LAST)
        )

    assert all(branches.get(branch, 0) >= 3 for branch in ("click", "delivery", None)), branches
    assert {s.step_id: s.recovered for s in result.steps if s.recovered} == per_step
    assert {s.step_id: s.variant for s in result.steps} == {
        "email-1": None,
        "email-2a": "urgency",
        "email-2b": "friendly",
    }


def test_the_holdout_lift_and_its_newcombe_interval(
    url: str, shop: Shop, settings: Settings
) -> None:
    cohort = [c for c in shop.carts if c.id in shop.enrolled and inside(shop.enrolled[c.id])]
    held = [c for c in cohort if c.id in shop.held_out]
    treated = [c for c in cohort if c.id not in shop.held_out]
    x1, n1 = len([c for c in treated if c.status == "recovered"]), len(treated)
    x2, n2 = len([c for c in held if c.status == "recovered"]), len(held)
    (l1, u1), (l2, u2) = wilson(x1, n1), wilson(x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)

    with session_scope(url) as session:
        result = analytics.automation_results(
            session, settings, AUTOMATION, analytics.Period(FIRST, LAST)
        )

    holdout = result.holdout
    assert holdout is not None and n2 >= analytics.MIN_PER_ARM
    assert (holdout.treated.carts, holdout.treated.recovered) == (n1, x1)
    assert (holdout.held_out.carts, holdout.held_out.recovered) == (n2, x2)
    assert holdout.enough_data and holdout.percent == HOLDOUT
    assert holdout.lift == round(100 * (p1 - p2), 1)
    assert holdout.interval == (round(100 * low, 1), round(100 * high, 1))


@pytest.mark.parametrize(
    ("arms", "published"),
    [((56, 70, 48, 80), (0.0524, 0.3339)), ((9, 10, 3, 10), (0.1705, 0.8090))],
)
def test_newcombes_published_examples(
    arms: tuple[int, int, int, int], published: tuple[float, float]
) -> None:
    """Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10."""
    _, interval = newcombe_difference(*arms)

    assert (round(interval.low, 4), round(interval.high, 4)) == published


def test_too_few_held_out_carts_say_so() -> None:
    few = analytics.holdout_results(10, 40, 200, 2, analytics.MIN_PER_ARM - 1)

    assert (few.enough_data, few.lift, few.interval) == (False, None, None)
    assert few.verdict.startswith("Not enough data yet")


def test_each_variants_figures_and_its_probability_of_being_best(
    url: str, shop: Shop, settings: Settings
) -> None:
    cohort = {c.id: c for c in shop.carts if c.id in shop.enrolled and inside(shop.enrolled[c.id])}
    arms = {}
    for name in VARIANTS:
        group = [cohort[i] for i, v in shop.variant.items() if v == name and i in cohort]
        arms[name] = (len([c for c in group if c.status == "recovered"]), len(group))
    b_beats_a = beta_b_beats_a(arms["urgency"], arms["friendly"])

    with session_scope(url) as session:
        result = analytics.automation_results(
            session, settings, AUTOMATION, analytics.Period(FIRST, LAST)
        )

    [test] = result.ab_tests
    found = {v.name: v for v in test.variants}
    assert {name: (v.recovered, v.entered) for name, v in found.items()} == arms
    assert found["friendly"].probability_best == pytest.approx(b_beats_a, abs=0.015)
    assert found["urgency"].probability_best == pytest.approx(1 - b_beats_a, abs=0.015)
    if min(n for _, n in arms.values()) < analytics.MIN_PER_VARIANT:
        assert test.winner is None and test.verdict.startswith("Not enough data yet")


@pytest.mark.parametrize(("a", "b"), [((30, 200), (45, 210)), ((120, 1000), (118, 1000))])
def test_the_probability_of_being_best_matches_the_closed_form(
    a: tuple[int, int], b: tuple[int, int]
) -> None:
    chances = probability_best([a, b])

    assert chances[1] == pytest.approx(beta_b_beats_a(a, b), abs=0.015)
    assert probability_best([a, b]) == chances, "the same answer every time"


def test_a_clear_ab_winner_is_named_only_with_enough_carts() -> None:
    def variants(n: int) -> list[Any]:
        chances = probability_best([(n // 20, n), (n // 5, n)])
        return [
            VariantResults(
                name=name, entered=n, sent=n, clicked=0, recovered=won, recovery_rate=None,
                probability_best=chance,
            )
            for name, won, chance in (("a", n // 20, chances[0]), ("b", n // 5, chances[1]))
        ]  # fmt: skip

    assert analytics.ab_verdict(variants(analytics.MIN_PER_VARIANT - 1))[0] is None
    assert analytics.ab_verdict(variants(analytics.MIN_PER_VARIANT))[0] == "b"


@pytest.mark.parametrize(
    ("seconds", "text"), [(4 * 3600 + 32 * 60 + 10, "4h32m"), (90, "1m30s"), (2 * 86_400, "2d")]
)
def test_durations_read_compactly(seconds: int, text: str) -> None:
    assert compact_duration(seconds) == text
