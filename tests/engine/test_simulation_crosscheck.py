"""The simulator against the real thing: 50 generated carts through `JourneyWorkflow` and
through the simulator must give identical per-cart timelines.

Real: each cart is abandoned and later perhaps ordered, recovered, unsubscribed or clicked,
on the time-skipping server, through the real stack: ingestion (`engine.service.ingest`
records each event, then enrols or signals the journey), the click on the first email's
recovery link (`engine.service.links`), the real worker with the real activities (emails
rendered into the outbox, discount codes, the purchase check) and a real database (SQLite,
and PostgreSQL when BOOMERANG_TEST_DATABASE_URL is set). The carts run one after another
(the time-skipping server runs one journey at a time). Each event's `timestamp` (and the
abandonment's `abandoned_at`) is the server's time when it is ingested.

Simulated: `engine.service.simulation` replays the same 50 carts from that database.

Compared, per cart, the journey's final state (`JourneyState`, the workflow's result) with
the simulated timeline:
- the journey's outcome, holdout and A/B variants;
- the history, record by record: step id and type, and the details that carry a decision:
  an action's `status`, a split's variant, a `wait_for_event`'s event or time-out, a
  quiet-hours deferral's reason and end (`until`, to the microsecond), the outcome and its
  attribution (`recovered_via`). (The rest of an action's result differs by design: a real
  code, a message id; a dry run has neither.)
- the time of each record: never earlier than simulated, and at most `LATENESS` later. Not
  exactly equal, because the test server's clock also runs in real time wherever it may not
  skip: from the ingestion of the abandonment to the journey's first task, while each
  activity runs (a wait starts when the action before it returned, so these add up along a
  journey), and while a signal travels from ingestion to the journey. Measured here: at most
  about a third of a second, timers and signals alike. A minute is far below the 15 minutes
  that separate every event from every step boundary (abandonments at :15, clicks at :45,
  other events at :30; whole-hour waits and time zones, so the quiet hours end at :00), so
  no latency can reorder anything, and any real difference in the semantics (a wait counted
  from another moment, a deferral to another time) is far larger.

Left out: a frequency cap (the real send counts it on the wall clock, which the test
server's clock leaves behind).
"""

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import TypeAdapter
from sqlmodel import select
from temporalio.client import Client, WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from engine.language.contracts import journey_id
from engine.language.events import Event
from engine.language.interpreter import JourneyState, StepRecord
from engine.language.simulations import CartSelection, CartTimeline, SimulationRequest
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service import automations, journeys, simulation
from engine.service.bootstrap import prepare
from engine.service.ingest import ingest
from engine.service.links import follow_recovery_link, recovery_token
from engine.store.db import session_scope
from engine.store.models import Cart, Suppression
from engine.workflows.journey import JourneyWorkflow

CARTS = 50
SEED = 15
LATENESS = timedelta(minutes=1)  # at most, of a real record behind its simulation
LONGEST = timedelta(days=4)  # longer than any journey here (84 hours at most)
# What becomes of a cart besides the click: nothing, a purchase, a recovery, an unsubscribe.
FATES = (None, "order_placed", "cart_recovered", "unsubscribed")
FATE_WEIGHTS = (4, 3, 2, 2)
ZONES = ("UTC", "America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Tokyo")

DEFINITION: dict[str, Any] = {
    "trigger": {"event": "cart_abandoned"},
    "settings": {
        "quiet_hours": {"start": "21:00", "end": "08:00", "timezone": "customer"},
        "holdout_percent": 10,
    },
    "steps": [
        {"id": "wait-1", "type": "wait", "duration": "1h"},
        {"id": "email-1", "type": "action", "action": "send_email",
         "params": {"template": "cart-reminder"}},
        {"id": "clicked?", "type": "wait_for_event", "event": "email_clicked", "timeout": "20h",
         "on_event": [
             {"id": "code-click", "type": "action", "action": "create_discount",
              "params": {"percent": 15}},
             {"id": "email-click", "type": "action", "action": "send_email",
              "params": {"template": "cart-discount", "subject": "Thanks for looking again"}},
         ],
         "on_timeout": []},
        {"id": "offer", "type": "ab_split", "variants": [
            {"name": "discount", "weight": 50, "steps": [
                {"id": "code-a", "type": "action", "action": "create_discount",
                 "params": {"percent": 10}},
                {"id": "email-a", "type": "action", "action": "send_email",
                 "params": {"template": "cart-discount"}},
            ]},
            {"name": "nudge", "weight": 50, "steps": [
                {"id": "wait-b", "type": "wait", "duration": "6h"},
                {"id": "email-b", "type": "action", "action": "send_email",
                 "params": {"template": "cart-last-chance"}},
            ]},
        ]},
        {"id": "wait-2", "type": "wait", "duration": "24h"},
        {"id": "email-last", "type": "action", "action": "send_email",
         "params": {"template": "cart-last-chance"}},
        {"id": "lost", "type": "exit", "outcome": "lost"},
    ],
}  # fmt: skip

_event = TypeAdapter(Event)


@dataclass(frozen=True)
class PlannedCart:
    """A cart and what its customer does: `events` are (time after abandonment, kind)."""

    cart_id: str
    email: str
    timezone: str
    total: Decimal
    idle: timedelta  # before it is abandoned, after the previous journey ended
    events: tuple[tuple[timedelta, str], ...]


def _plan(rng: random.Random) -> list[PlannedCart]:
    planned = []
    for number in range(CARTS):
        cart_id = f"cart-{number:02d}"
        events: list[tuple[timedelta, str]] = []
        if rng.random() < 0.35:  # the first email's link, at :45
            events.append((timedelta(hours=rng.randint(1, 14), minutes=30), "email_clicked"))
        [fate] = rng.choices(FATES, FATE_WEIGHTS)
        if fate is not None:  # at :30, anywhere in the journey's three days
            events.append((timedelta(hours=rng.randint(0, 70), minutes=15), fate))
        planned.append(
            PlannedCart(
                cart_id=cart_id,
                email=f"shopper{number:02d}@example.com",
                timezone=rng.choice(ZONES),
                total=Decimal(rng.randint(20, 400)),
                idle=timedelta(hours=rng.randint(1, 24)),
                events=tuple(sorted(events)),
            )
        )
    return planned


def _payload(cart: PlannedCart, kind: str, at: datetime) -> dict[str, Any]:
    stamp = at.isoformat()
    envelope = {"id": f"{kind}-{cart.cart_id}", "event": kind, "timestamp": stamp}
    match kind:
        case "cart_abandoned":
            data: dict[str, Any] = {
                "cart_id": cart.cart_id, "customer_email": cart.email,
                "items": [{"id": "p1", "name": "Lamp", "price": cart.total, "quantity": 1}],
                "subtotal": cart.total, "total": cart.total, "currency": "EUR",
                "abandoned_at": stamp, "customer_timezone": cart.timezone,
            }  # fmt: skip
        case "order_placed":
            data = {
                "order_id": f"o-{cart.cart_id}", "cart_id": cart.cart_id,
                "customer_email": cart.email, "total": cart.total, "currency": "EUR",
            }  # fmt: skip
        case "cart_recovered":
            data = {"cart_id": cart.cart_id, "order_id": f"r-{cart.cart_id}"}
        case "unsubscribed":
            data = {"customer_email": cart.email}
        case _:
            raise AssertionError(kind)
    return {**envelope, "data": data}


async def _ingest(settings: Settings, env: WorkflowEnvironment, payload: dict[str, Any]) -> None:
    with session_scope(settings.resolved_database_url) as session:
        await ingest(session, env.client, settings, [_event.validate_python(payload)])


def _on_the_servers_clock(settings: Settings, email: str, at: datetime) -> None:
    """The database stamps a suppression with the wall clock, which the test server's clock
    left behind at its first skip (in production the two are one clock). The simulator
    places the suppression at that stamp: put it on the clock the journeys ran on."""
    with session_scope(settings.resolved_database_url) as session:
        suppression = session.get(Suppression, email)
        assert suppression is not None
        suppression.created_at = at
        session.add(suppression)


async def _click(
    settings: Settings, env: WorkflowEnvironment, automation_id: str, cart_id: str, at: datetime
) -> None:
    """The customer follows the first email's recovery link (if that email went out)."""
    key = f"{journey_id(automation_id, cart_id)}:email-1"
    token = recovery_token(settings, cart_id, key, now=at)
    with session_scope(settings.resolved_database_url) as session:
        await follow_recovery_link(session, env.client, settings, token, now=at)


async def _live(
    env: WorkflowEnvironment, settings: Settings, automation_id: str, cart: PlannedCart
) -> tuple[datetime, JourneyState]:
    """One cart through the real stack; its abandonment time and the journey's final state."""
    now = await env.get_current_time()
    # Abandoned at :15, some hours on: carts are abandoned at every hour of the day.
    start = now.replace(minute=15, second=0, microsecond=0) + cart.idle
    await env.sleep(start - now)
    abandoned_at = await env.get_current_time()
    await _ingest(settings, env, _payload(cart, "cart_abandoned", abandoned_at))
    handle = env.client.get_workflow_handle_for(
        JourneyWorkflow.run, journey_id(automation_id, cart.cart_id)
    )
    for after, kind in cart.events:
        now = await env.get_current_time()
        await env.sleep(abandoned_at + after - now)
        at = await env.get_current_time()
        if kind == "email_clicked":
            await _click(settings, env, automation_id, cart.cart_id, at)
            continue
        await _ingest(settings, env, _payload(cart, kind, at))
        if kind == "unsubscribed":
            _on_the_servers_clock(settings, cart.email, at)
    # Past the longest journey, then read how it ended (awaiting the result of a handle we did
    # not start would not let the test server skip time).
    now = await env.get_current_time()
    await env.sleep(abandoned_at + LONGEST - now)
    described = await handle.describe()
    assert described.status == WorkflowExecutionStatus.COMPLETED, (cart, described.status)
    return abandoned_at, await handle.result()


def _visibility_stand_in(
    url: str, automation_id: str
) -> Callable[[Client, str], Awaitable[list[str]]]:
    """`journeys.running_ids_of_customer` without a visibility store (the time-skipping server
    has none): the journeys of the customer's carts, as the search attributes would find them
    (a finished one ignores the signal, as `journeys.signal` expects)."""

    async def running_ids_of_customer(_client: Client, customer_id: str) -> list[str]:
        with session_scope(url) as session:
            carts = session.exec(select(Cart.id).where(Cart.customer_id == customer_id)).all()
        return [journey_id(automation_id, cart_id) for cart_id in carts]

    return running_ids_of_customer


async def test_the_simulator_gives_the_timelines_the_journeys_had(
    time_skipping_env: WorkflowEnvironment, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = time_skipping_env
    prepare(settings)
    url = settings.resolved_database_url
    with session_scope(url) as session:
        created, _ = automations.create_published(session, "Cross-check", DEFINITION, active=True)
        automation_id = created.id
    stand_in = _visibility_stand_in(url, automation_id)
    monkeypatch.setattr(journeys, "running_ids_of_customer", stand_in)
    planned = _plan(random.Random(SEED))
    abandoned_at: dict[str, datetime] = {}
    real: dict[str, JourneyState] = {}
    async with build_worker(env.client, settings):
        for cart in planned:
            abandoned_at[cart.cart_id], real[cart.cart_id] = await _live(
                env, settings, automation_id, cart
            )

    with session_scope(url) as session:
        started = simulation.start(
            session, automation_id, SimulationRequest(carts=CartSelection(last=CARTS))
        )
        simulation.run(session, settings, started.id)
        listed = simulation.timelines(session, started.id, limit=CARTS)
    simulated = {timeline.cart_id: timeline for timeline in listed.items}

    assert {cart_id: t.abandoned_at for cart_id, t in simulated.items()} == abandoned_at
    problems = [
        problem
        for cart in planned
        for problem in _differences(cart.cart_id, real[cart.cart_id], simulated[cart.cart_id])
    ]
    assert not problems, "\n".join(problems)
    _assert_covered(list(real.values()))


def _differences(cart_id: str, real: JourneyState, simulated: CartTimeline) -> list[str]:
    """What differs between the journey and its simulation (nothing, we require)."""
    ours = (real.outcome, real.holdout, real.variants)
    theirs = (simulated.outcome, simulated.held_out, simulated.variants)
    if ours != theirs:
        return [f"{cart_id}: the journey ended {ours}, the simulation {theirs}"]
    if [_shape(r) for r in real.history] != [_shape(r) for r in simulated.steps]:
        return [
            f"{cart_id}: the journey went {_show(real.history)}\n"
            f"  the simulation went {_show(simulated.steps)}"
        ]
    return [
        f"{cart_id}: {mine.step_id} ({mine.type}) at {mine.at}, simulated at {sim.at}"
        for mine, sim in zip(real.history, simulated.steps, strict=True)
        if not timedelta(0) <= mine.at - sim.at <= LATENESS
    ]


def _shape(record: StepRecord) -> tuple[Any, ...]:
    detail = record.detail
    return (
        record.step_id,
        record.type,
        detail.get("status"),
        detail.get("variant"),
        detail.get("branch"),
        detail.get("event"),
        detail.get("timed_out"),
        detail.get("why"),
        detail.get("until"),
        detail.get("outcome"),
        detail.get("recovered_via"),
    )


def _show(records: list[StepRecord]) -> str:
    return ", ".join(f"{r.step_id}/{r.type}/{r.detail.get('status', '')}" for r in records)


def _assert_covered(journeys: list[JourneyState]) -> None:
    """The generated carts exercise what the comparison is meant to cover."""
    records = [record for state in journeys for record in state.history]
    outcomes = {state.outcome for state in journeys}
    assert outcomes == {"lost", "purchased", "recovered", "unsubscribed"}
    assert {state.variants.get("offer") for state in journeys} >= {"discount", "nudge"}
    assert any(state.holdout for state in journeys)
    assert any(state.recovered_via for state in journeys)
    assert any(record.type == "deferred" for record in records)  # quiet hours
    assert any(record.detail.get("event") == "email_clicked" for record in records)
    assert any(record.detail.get("timed_out") for record in records)
    assert any(record.type == "exit" for record in records)
