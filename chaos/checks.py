"""The invariants a chaos run must keep, checked from the database and Temporal (chaos.observe)
against what the shop was answered (chaos.driver):

1. every accepted event is reflected (stored, applied, and what it says is in the tables);
2. no journey lost or stuck: each enrolment has its workflow, finished, or running and
   waiting with a future wake-up;
3. exactly one message per journey step that ran (the journey's records against the
   messages), and one code per discount step that ran;
4. no message after the customer's purchase or unsubscribe, except a send whose activity
   began before the event was stored, each listed.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from temporalio.client import Client

from chaos.automations import DEFINITIONS
from chaos.driver import Delivery
from chaos.observe import Journey, World, step_activity
from chaos.plan import Post
from engine.language.contracts import journey_id
from engine.store.models import Event, Message

PURCHASES = ("order_placed", "order_paid", "cart_recovered")
ORDER_EVENTS = ("order_placed", "order_paid")


@dataclass
class Findings:
    violations: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)  # sends already under way, listed
    notes: list[str] = field(default_factory=list)  # what is not a broken invariant, listed


def _actions(automation_ids: dict[str, str]) -> dict[tuple[str, str], str]:
    """(automation id, step id) → the action the step runs."""

    return {
        (automation_ids[definition["name"]], step["id"]): step["action"]
        for definition in DEFINITIONS
        for step in definition["steps"]  # no branches in these automations
        if step["type"] == "action"
    }


def accepted_events_reflected(world: World, deliveries: list[Delivery], found: Findings) -> None:
    enrolled = {enrolment.subject_id for enrolment in world.enrolments}
    bought = {order.cart_id for order in world.orders.values()}
    unsubscribed = {
        event.data["customer_email"]: event.received_at
        for event in world.events.values()
        if event.type == "unsubscribed"
    }
    for delivery in deliveries:
        post = delivery.post
        if delivery.refused is not None:
            found.violations.append(f"{post.key} ({post.what}) refused: {delivery.refused}")
            continue
        if delivery.accepted_at is None:
            found.violations.append(f"{post.key} ({post.what}) never accepted")
            continue
        kind, _, name = post.key.partition(":")
        if kind == "event":
            event = world.events.get(name)
            if event is None or event.applied_at is None:
                state = "missing" if event is None else "not applied"
                found.violations.append(f"accepted event {name} ({post.what}) {state}")
                continue
        else:
            platform_delivery = world.deliveries.get((kind, name))
            result = platform_delivery.result if platform_delivery else "missing"
            if result not in ("applied", "duplicate"):
                found.violations.append(f"accepted {kind} delivery {name} ({post.what}): {result}")
                continue
            if result == "duplicate" and not post.repeat:
                # Its events are checked below all the same.
                found.notes.append(
                    f"{kind} delivery {name} ({post.what}) is recorded as a duplicate: an "
                    "attempt applied its events and died before recording the delivery, and "
                    "the retry found them applied"
                )
        if problem := _not_reflected(world, post, enrolled, bought, unsubscribed):
            found.violations.append(f"accepted {post.key} ({post.what}): {problem}")


def _not_reflected(world: World, post: Post, enrolled: set[str], bought: set[str | None],
                   unsubscribed: dict[str, datetime]) -> str | None:  # fmt: skip
    """What the tables lack of an accepted event, if anything."""
    what, cart_id, order_id, email = post.what, post.cart_id, post.order_id, post.email
    cart = world.carts.get(cart_id or "")
    if what in ("order_placed", "order_paid") or what.endswith("orders/create") or "order." in what:
        return None if order_id in world.orders else f"no order {order_id}"
    if what == "unsubscribed":
        return None if email in world.suppressed else f"{email} not suppressed"
    if cart is None:
        return f"no cart {cart_id}"
    if what == "cart_recovered" and cart.status != "recovered":
        return f"cart {cart_id} is {cart.status}, not recovered"
    if what == "cart_abandoned" and cart.abandoned_at is None:
        return f"cart {cart_id} was never marked abandoned"
    if what not in ("cart_abandoned", "shopify checkouts/create") or cart_id in enrolled:
        return None
    # Not enrolled: right only if the customer bought the cart, or had unsubscribed before
    # the abandonment reached the API.
    abandoned = world.events.get(post.key.partition(":")[2])
    unsubscribed_at = unsubscribed.get(email or "")
    if cart_id in bought or (
        abandoned and unsubscribed_at and unsubscribed_at < abandoned.received_at
    ):
        return None
    return f"cart {cart_id} ({cart.status}) was never enrolled"


def journeys_not_lost_or_stuck(
    world: World, found: Findings, post_purchase: str | None = None
) -> None:
    """Each enrolment's journey finished, or waits for a wake-up still to come; and none
    waits on after its customer bought or unsubscribed (the event's signal ends it; the
    automations' first waits are short, so a journey enrolled after the event has met its
    purchase check by now)."""
    now = world.looked_at
    customers = {e.subject_id: e.customer_id for e in world.enrolments}
    for journey in world.journeys.values():
        if journey.status == "COMPLETED":
            continue
        if journey.status != "RUNNING":
            found.violations.append(f"journey {journey.workflow_id} lost: {journey.status}")
        elif journey.wake_at is None or journey.wake_at <= now:
            found.violations.append(
                f"journey {journey.workflow_id} stuck (running, next wake-up "
                f"{journey.wake_at}, steps {[step for step, *_ in journey.steps]})"
            )
        elif exits := _exit_events(
            world,
            journey.workflow_id,
            world.emails.get(customers.get(journey.subject_id) or "", ""),
            journey.automation_id == post_purchase,
        ):
            found.violations.append(
                f"journey {journey.workflow_id} still waits after {exits[0].type} "
                f"{exits[0].id} was accepted"
            )


def _exit_events(world: World, workflow_id: str, to_email: str,
                 post_purchase: bool) -> list[Event]:  # fmt: skip
    """The events after which the journey must send nothing, first first."""
    subject = workflow_id.split(":", 2)[2]
    purchases, unsubscribes = _exits_of(world)
    exits = unsubscribes.get(to_email, []) + ([] if post_purchase else purchases.get(subject, []))
    return sorted(exits, key=lambda event: event.received_at)


def _exits_of(world: World) -> tuple[dict[str, list[Event]], dict[str, list[Event]]]:
    """The purchases by cart and the unsubscribes by address (indexed once per world)."""
    if world.exits is None:
        purchases: dict[str, list[Event]] = defaultdict(list)
        unsubscribes: dict[str, list[Event]] = defaultdict(list)
        for event in world.events.values():
            if event.type in PURCHASES and event.cart_id is not None:
                purchases[event.cart_id].append(event)
            elif event.type == "unsubscribed":
                unsubscribes[event.data.get("customer_email", "")].append(event)
        world.exits = (dict(purchases), dict(unsubscribes))
    return world.exits


def _stored_by(event: Event, deliveries: list[Delivery]) -> float:
    """When the event was surely stored: the end of the shop's attempt during which the API
    received it (its commit comes before the answer), else its first 2xx."""
    received = event.received_at.timestamp()
    mine = [d for d in deliveries if _carries(d, event)]
    spans = [end for d in mine if (end := d.committed_by(received)) is not None]
    accepted = [d.accepted_at for d in mine if d.accepted_at is not None]
    return min(spans or accepted or [received])


def _carries(delivery: Delivery, event: Event) -> bool:
    post = delivery.post
    if post.key == f"event:{event.id}":
        return True
    return post.platform is not None and post.order_id == event.data.get("order_id")


async def messages_once_per_step(
    world: World,
    client: Client,
    deliveries: list[Delivery],
    automation_ids: dict[str, str],
    found: Findings,
) -> None:
    actions = _actions(automation_ids)
    post_purchase = automation_ids[DEFINITIONS[-1]["name"]]
    ran: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
    for journey in world.journeys.values():
        for step_id, kind, detail in journey.steps:
            if kind == "action":
                key = f"{journey.workflow_id}:{step_id}"
                ran[actions.get((journey.automation_id, step_id), "?")].append(
                    (key, step_id, detail)
                )
    for action, steps in ran.items():
        for key, _, detail in steps:
            if detail.get("status") == "failed":
                found.violations.append(f"{action} step {key} failed: {detail.get('error')}")
    sent = Counter(key for key, _, detail in ran["send_email"] if detail.get("status") == "sent")
    messages = Counter(message.idempotency_key for message in world.messages)
    for key, count in messages.items():
        if count > 1:
            found.violations.append(f"{count} messages for one step: {key}")
    for key, count in sent.items():
        if count > 1:
            found.violations.append(f"step {key} recorded as sent {count} times")
        if key not in messages:
            found.violations.append(f"step {key} recorded as sent, but no message")
    recorded = {key: detail for key, _, detail in ran["send_email"]}
    for message in world.messages:
        key = message.idempotency_key
        workflow_id, _, step_id = key.rpartition(":")
        exits = _exit_events(world, workflow_id, message.to_email,
                             workflow_id.startswith(f"journey:{post_purchase}:"))  # fmt: skip
        if key not in sent:
            status = recorded.get(key, {}).get("status", "not recorded")
            status += _journey_told(world, workflow_id)
            verdict = await _unrecorded_send(
                client, message, exits, deliveries, step_id, status,
                world.journeys.get(workflow_id),
            )  # fmt: skip
            (found.exceptions if verdict.startswith("listed") else found.violations).append(verdict)
        if exits and message.created_at > exits[0].received_at:
            await _after_exit(client, message, exits[0], deliveries, step_id, found)
    _codes_once_per_step(world, ran["create_discount"], found)


def _journey_told(world: World, workflow_id: str) -> str:
    """The journey's status and recorded steps, to explain a finding."""
    journey = world.journeys.get(workflow_id)
    if journey is None:
        return " (no enrolment names this journey)"
    return f" (journey {journey.status}, steps {[step for step, *_ in journey.steps]})"


async def _unrecorded_send(
    client: Client,
    message: Message,
    exits: list[Event],
    deliveries: list[Delivery],
    step_id: str,
    status: str,
    journey: Journey | None,
) -> str:
    """A message whose step the journey does not record as sent: a violation, unless an
    attempt stored it and died (or could not report it), and the retry's purchase check
    found the customer had bought or unsubscribed meanwhile, so the journey ended at that
    step without recording it (the email is then missing from the journey's history)."""
    key = message.idempotency_key
    stopped_there = (
        journey is not None
        and bool(journey.steps)
        and (journey.steps[-1][1] == "finish" and journey.steps[-1][0] in {e.type for e in exits})
    )
    if not stopped_there:
        return f"message {key} for a step recorded as {status!r}"
    activity = await step_activity(client, key.rpartition(":")[0], step_id)
    stored_by = _stored_by(exits[0], deliveries)
    if activity is not None and activity.scheduled <= stored_by:
        return (
            f"listed: {key}: stored by an attempt scheduled before {exits[0].type} "
            f"{exits[0].id} was stored; that attempt's result never reached the journey, and "
            f"attempt {activity.attempts} found the {exits[0].type}: the journey ended there "
            "without recording the email"
        )
    return f"message {key} for a step the journey stopped at, sent after {exits[0].type}"


async def _after_exit(
    client: Client,
    message: Message,
    exit_event: Event,
    deliveries: list[Delivery],
    step_id: str,
    found: Findings,
) -> None:
    """A message stored after a purchase or unsubscribe reached the API: its send must have
    begun before the event was stored (listed), else it is a violation."""
    key = message.idempotency_key
    activity = await step_activity(client, key.rpartition(":")[0], step_id)
    stored_by = _stored_by(exit_event, deliveries)
    if activity is None:
        found.violations.append(f"message {key} after {exit_event.type}; no activity in history")
        return
    created_here = activity.result is not None and not activity.result.get("repeated")
    began = (
        activity.started if created_here and activity.started is not None else activity.scheduled
    )
    gap = message.created_at.timestamp() - exit_event.received_at.timestamp()
    if began > stored_by:
        found.violations.append(
            f"message {key} stored {gap:.2f} s after {exit_event.type} {exit_event.id}; its "
            f"send began {began - stored_by:.2f} s after the event was stored"
        )
    else:
        found.exceptions.append(
            f"listed: {key}: stored {gap:.2f} s after {exit_event.type} {exit_event.id} "
            f"reached the API; its send began {stored_by - began:.2f} s before the event "
            "was stored"
        )


def _codes_once_per_step(world: World, ran: list[tuple[str, str, dict[str, Any]]],
                         found: Findings) -> None:  # fmt: skip
    codes = Counter(code.idempotency_key for code in world.codes)
    by_key = {code.idempotency_key: code for code in world.codes}
    for key, count in codes.items():
        if count > 1:
            found.violations.append(f"{count} discount codes issued for one step: {key}")
    for key, _, detail in ran:
        code = by_key.get(key)
        if detail.get("status") == "created" and (code is None or code.code != detail.get("code")):
            found.violations.append(f"step {key} recorded code {detail.get('code')}, stored {code}")


def enrolment_ids(world: World) -> set[str]:
    return {journey_id(e.automation_id, e.subject_id) for e in world.enrolments}
