"""The proof of erasure (issue 16): one unique address goes everywhere a real customer's data
goes (every event type, both shop platforms' webhooks, the storefront key, journeys that
email, make a code and keep their records, Brevo's delivery reports, a tracked click, a
message to the cart, a bulk message, a simulation, a template's test send); the export holds
every kind of record that made; then the customer is erased and every column of every table,
and the history, memo and search attributes of every workflow on the Temporal server, are
scanned for the address and the names: none is found, and the address stays out."""

import base64
import binascii
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from google.protobuf.json_format import MessageToDict
from pydantic import SecretStr
from sqlalchemy import MetaData, select
from sqlmodel import SQLModel, col
from sqlmodel import select as select_rows
from temporalio.api.common.v1 import Payload
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from engine.runtime.settings import Settings
from engine.service import links
from engine.service.auth import Role
from engine.service.payload_codec import decompressed
from engine.store.db import get_engine, session_scope
from engine.store.models import AuditEntry, Customer, Enrolment, JourneyRecord, Message, Suppression
from tests.brevo_server import API_KEY, BrevoServer, running_brevo
from tests.builder_api.conftest import Api
from tests.builder_api.test_shopify_webhooks import SECRET as SHOPIFY_SECRET
from tests.builder_api.test_shopify_webhooks import abandon_idle_checkouts, deliver
from tests.engine.platforms.test_shopify import sample
from tests.support import eventually

RUN = uuid.uuid4().hex[:10]
MARK_EMAIL = f"scan-{RUN}@example.com"
MARK_FIRST = f"Quillon{RUN}"  # what emails render into their subjects
MARK_LAST = f"Vantressa{RUN}"
MARK_STREET = f"{RUN} Marker Street"  # addresses the platforms send (never ours to keep)
MARKS = (MARK_EMAIL, MARK_FIRST, MARK_LAST, MARK_STREET)

WOO_SECRET = "Wq#8v]x!R2zP@wL{"
BREVO_SECRET = "brevo-scan-" + uuid.uuid4().hex
STOREFRONT = "https://shop.example.com"
WOO_FIXTURES = Path(__file__).parents[1] / "fixtures" / "woocommerce"

RUNNING = WorkflowExecutionStatus.RUNNING
CART = "cart_scan_api"  # reported by POST /api/v1/events, abandoned: its journey emails
WOO_CART = "5040ce7273261e31d8bcf79f9be3d279"  # WooCommerce's cart hash, from the storefront
SHOPIFY_CHECKOUT = "scan" + uuid.uuid4().hex[:12]  # a Shopify checkout token: a cart
SHOPIFY_ORDER = 2**60 + 4242
API_ORDER = "order_scan_api"
ITEMS = [
    {"id": "lamp-1", "name": "Scan Brass Lamp", "price": 80, "quantity": 1, "variant": "Brass"},
    {"id": "shade-2", "name": "Scan Linen Shade", "price": 20, "quantity": 2},
]
EVENT_TYPES = {
    "cart_updated", "checkout_started", "cart_abandoned", "cart_recovered", "order_placed",
    "order_paid", "order_fulfilled", "order_delivered", "order_cancelled", "unsubscribed",
}  # fmt: skip
# Every kind of record the scenario below makes (data requests come from platforms'
# GDPR webhooks only; platform deliveries hold an address only when one was refused).
CREATED_KINDS = (
    "customer", "carts", "orders", "events", "messages", "message_events", "enrolments",
    "journey_records", "discount_codes", "suppression", "simulated_carts", "bulk_messages",
    "data_requests",
)  # fmt: skip

CART_JOURNEY = {
    "name": "Scan: code, reminder by name, owner told, then a long wait",
    "active": True,
    "definition": {
        "trigger": {"event": "cart_abandoned"},
        "exit_on": [],  # still running when the customer is erased: erasure cancels it
        "settings": {"quiet_hours": None},
        "steps": [
            {"id": "code", "type": "action", "action": "create_discount",
             "params": {"percent": 10}},
            {"id": "email-1", "type": "action", "action": "send_email",
             "params": {"template": "cart-reminder",
                        "subject": "{{ customer.first_name }}, your cart is waiting"}},
            {"id": "owner", "type": "action", "action": "notify_owner", "params": {}},
            {"id": "wait-1", "type": "wait", "duration": "1h"},
            {"id": "email-2", "type": "action", "action": "send_email",
             "params": {"template": "cart-reminder"}},
        ],
    },
}  # fmt: skip
ORDER_JOURNEY = {
    "name": "Scan: thanks for the order",
    "active": True,
    "definition": {
        "trigger": {"event": "order_placed"},
        "settings": {"quiet_hours": None},
        "steps": [
            {"id": "thanks", "type": "action", "action": "send_email",
             "params": {"template": "cart-reminder",
                        "subject": "Thank you, {{ customer.first_name }}"}},
        ],
    },
}  # fmt: skip


@pytest.fixture
def brevo() -> Iterator[BrevoServer]:
    with running_brevo() as server:
        yield server


@pytest.fixture
def settings(settings: Settings, brevo: BrevoServer) -> Settings:
    """Emails through (a loopback) Brevo, so its delivery reports find them; both platforms'
    webhooks on; an owner to notify."""
    return settings.model_copy(
        update={
            "email_transport": "brevo",
            "brevo_api_key": SecretStr(API_KEY),
            "brevo_base_url": brevo.base_url,
            "brevo_webhook_secret": SecretStr(BREVO_SECRET),
            "sender_email": "shop@shop.example.com",
            "owner_email": "owner@shop.example.com",
            "shopify_webhook_secret": SecretStr(SHOPIFY_SECRET),
            "woocommerce_webhook_secret": SecretStr(WOO_SECRET),
        }
    )


# -- what a real customer's data looks like on its way in ------------------------------------


def _now(delta: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + delta).isoformat()


PERSONAL = {"email": MARK_EMAIL, "contact_email": MARK_EMAIL, "first_name": MARK_FIRST,
            "last_name": MARK_LAST, "address1": MARK_STREET, "address_1": MARK_STREET}  # fmt: skip


def _marked(payload: Any) -> Any:
    """A platform's payload as the marked customer's: every address, name and street."""
    if isinstance(payload, list):
        return [_marked(item) for item in payload]
    if not isinstance(payload, dict):
        return payload
    marked = {key: PERSONAL.get(key, _marked(value)) for key, value in payload.items()}
    if "name" in marked and ("address1" in marked or "address_1" in marked):
        marked["name"] = f"{MARK_FIRST} {MARK_LAST}"  # an address's full name
    return marked


def _cart_data(cart_id: str, email: str = MARK_EMAIL) -> dict[str, Any]:
    return {
        "cart_id": cart_id,
        "customer_email": email,
        "items": ITEMS,
        "subtotal": 120,
        "total": 120,
        "currency": "EUR",
        "recovery_url": f"https://shop.example.com/cart/{cart_id}",
        "customer": {"first_name": MARK_FIRST, "last_name": MARK_LAST, "locale": "en"},
    }


async def _event(api: Api, kind: str, data: dict[str, Any], **headers: str) -> None:
    body = {"event": kind, "timestamp": _now(), "id": f"scan-{kind}-{uuid.uuid4().hex[:8]}",
            "data": data}  # fmt: skip
    response = await api.http.post("/api/v1/events", json=body, headers=headers)
    assert response.status_code == 202, response.text


async def _shopify(api: Api, topic: str, payload: dict[str, Any]) -> None:
    response = await deliver(api, topic, payload)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied", (topic, response.text)


async def _woocommerce(api: Api, status: str) -> None:
    order = json.loads((WOO_FIXTURES / "order.json").read_text(encoding="utf-8"))
    placed = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    order = _marked(order) | {
        "status": status,
        "cart_hash": WOO_CART,
        "customer_note": f"Leave it with {MARK_FIRST} at {MARK_STREET}",
        "date_created_gmt": placed.isoformat(),
        "date_paid_gmt": placed.isoformat(),
        "date_modified_gmt": placed.isoformat(),
    }
    body = json.dumps(order, separators=(",", ":")).replace("/", "\\/").encode()
    signature = base64.b64encode(hmac.new(WOO_SECRET.encode(), body, hashlib.sha256).digest())
    request = api.http.build_request(
        "POST",
        "/api/v1/integrations/woocommerce/webhooks",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-WC-Webhook-Source": "https://shop.example.com/",
            "X-WC-Webhook-Topic": "order.updated",
            "X-WC-Webhook-Delivery-ID": uuid.uuid4().hex,
            "X-WC-Webhook-Signature": signature.decode(),
        },
    )
    del request.headers["Authorization"]
    response = await api.http.send(request)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == "applied", response.text


async def _visit(api: Api, method: str, link: str, body: bytes = b"") -> httpx.Response:
    """Someone following a link of an email: no API token."""
    request = api.http.build_request(method, httpx.URL(link).path, content=body)
    del request.headers["Authorization"]
    return await api.http.send(request)


def _rows(api: Api, statement: Any) -> list[Any]:
    with session_scope(api.settings.resolved_database_url) as session:
        return list(session.exec(statement).all())


async def _journeys_of(api: Api, automation_id: str) -> list[dict[str, Any]]:
    response = await api.http.get(
        "/api/v1/journeys", params={"customer_email": MARK_EMAIL, "automation_id": automation_id}
    )
    assert response.status_code == 200, response.text
    journeys: list[dict[str, Any]] = response.json()
    return journeys


def reminder_customer(api: Api) -> str:
    [customer] = _rows(api, select_rows(Customer.id).where(Customer.email == MARK_EMAIL))
    customer_id: str = customer
    return customer_id


def _sent(api: Api) -> list[Message]:
    return _rows(
        api, select_rows(Message).where(Message.to_email == MARK_EMAIL, Message.status == "sent")
    )


# -- the scans --------------------------------------------------------------------------------


def _found(text: str) -> list[str]:
    lowered = text.lower()
    return [mark for mark in MARKS if mark.lower() in lowered]


def _database_leaks(url: str) -> list[str]:
    """Every row of every table in the database (reflected: what is there, not only what the
    models say), every value as text, searched for each mark in any case."""
    metadata = MetaData()
    engine = get_engine(url)
    metadata.reflect(bind=engine)
    assert set(SQLModel.metadata.tables) <= set(metadata.tables), "a model table is missing"
    leaks = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                for column, value in row.items():
                    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
                    if not isinstance(text, str):
                        text = json.dumps(text, default=str) if text is not None else ""
                    if found := _found(text):
                        leaks.append(f"{table.name}.{column}: {found} in {text[:300]!r}")
    return leaks


def _payload_texts(node: Any) -> Iterator[str]:
    """Every string of a Temporal proto as JSON, with each payload's data decoded (base64 in
    the JSON, and compressed by our codec when large)."""
    if isinstance(node, dict):
        if isinstance(node.get("data"), str) and isinstance(node.get("metadata"), dict):
            metadata = {k: _b64(v) for k, v in node["metadata"].items()}
            payload = Payload(metadata=metadata, data=_b64(node["data"]))
            yield decompressed(payload).data.decode("utf-8", "replace")
        for value in node.values():
            yield from _payload_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _payload_texts(value)
    elif isinstance(node, str):
        yield node


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return text.encode()


async def _temporal_texts(env: WorkflowEnvironment) -> list[tuple[str, str]]:
    """Every workflow the server knows (journeys, bulk message, simulation, abandonment...):
    (its id, each text of its full history and of its description, memo and search
    attributes included)."""
    texts = []
    async for execution in env.client.list_workflows():
        handle = env.client.get_workflow_handle(execution.id, run_id=execution.run_id)
        history = json.loads((await handle.fetch_history()).to_json())
        described = MessageToDict((await handle.describe()).raw_description)
        texts += [(execution.id, text) for text in _payload_texts([history, described])]
    return texts


# -- the test ----------------------------------------------------------------------------------


async def test_an_erased_customer_is_nowhere_and_stays_out(
    api: Api, brevo: BrevoServer, dev_server_env: WorkflowEnvironment
) -> None:
    client = dev_server_env.client
    url = api.settings.resolved_database_url
    cart_automation = await api.create_automation(CART_JOURNEY)
    order_automation = await api.create_automation(ORDER_JOURNEY)
    shop = {"storefront_origins": [STOREFRONT]}
    assert (await api.http.put("/api/v1/settings", json=shop)).status_code == 200

    # Every event type through POST /api/v1/events (the address in any case).
    await _event(api, "cart_updated", _cart_data(CART, MARK_EMAIL.upper()))
    await _event(api, "checkout_started", _cart_data(CART))
    await _event(api, "cart_abandoned", _cart_data(CART) | {"abandoned_at": _now()})
    # The cart's journey makes a code, emails the customer by name, tells the owner, waits.
    await eventually(
        lambda: _journeys_of(api, cart_automation),
        lambda js: len(js) == 1 and js[0]["current_step"] == "wait-1",
    )
    [reminder] = _sent(api)
    assert reminder.subject == f"{MARK_FIRST}, your cart is waiting"

    # The storefront key reports the WooCommerce cart (its hash) from the shop's pages.
    storefront = api.token(Role.storefront)
    woo_item = {"id": "93", "name": "Woo Single #1", "price": 3, "quantity": 2}
    woo_cart = _cart_data(WOO_CART) | {"items": [woo_item], "total": 6}
    await _event(api, "cart_updated", woo_cart, **storefront, Origin=STOREFRONT)
    # Shopify: a checkout (a cart), the customer, an order of that checkout, paid, shipped.
    checkout = _marked(sample("checkouts/create")) | {
        "token": SHOPIFY_CHECKOUT, "created_at": _now(), "updated_at": _now(),
        "abandoned_checkout_url": f"https://shop.example.com/c/{SHOPIFY_CHECKOUT}"}  # fmt: skip
    await _shopify(api, "checkouts/create", checkout)
    # An hour without news of the checkout: the abandonment schedule's run enrols it.
    await abandon_idle_checkouts(api, client, SHOPIFY_CHECKOUT)
    await eventually(
        lambda: api.journeys(SHOPIFY_CHECKOUT, cart_automation),
        lambda js: len(js) == 1 and js[0]["current_step"] == "wait-1",
    )
    await _shopify(api, "customers/create", _marked(sample("customers/update")))
    # The customer asks the shop what it holds: Shopify forwards it (a mandatory webhook).
    await _shopify(api, "customers/data_request", _marked(sample("customers/data_request")))
    order = _marked(sample("orders/create")) | {
        "id": SHOPIFY_ORDER, "checkout_token": SHOPIFY_CHECKOUT, "cancelled_at": None,
        "created_at": _now(), "processed_at": _now(), "updated_at": _now()}  # fmt: skip
    await _shopify(api, "orders/create", order)
    await _shopify(api, "orders/paid", order | {"updated_at": _now(timedelta(seconds=1))})
    shipped = _marked(sample("fulfillments/create")) | {
        "order_id": SHOPIFY_ORDER,
        "status": "success",
        "created_at": _now(timedelta(seconds=2)),
    }
    await _shopify(api, "fulfillments/create", shipped)
    # WooCommerce: an order of the storefront's cart (placed and paid).
    await _woocommerce(api, "processing")
    # The rest of the event types, for an order of the API's own.
    order_data = {"order_id": API_ORDER, "customer_email": MARK_EMAIL, "total": 120,
                  "currency": "EUR", "items": [{"id": "lamp-1", "quantity": 1}],
                  "customer": {"first_name": MARK_FIRST, "last_name": MARK_LAST}}  # fmt: skip
    await _event(api, "order_placed", order_data)
    await _event(api, "order_paid", order_data)
    await _event(
        api,
        "order_fulfilled",
        order_data | {"tracking_number": f"TRK{RUN}", "tracking_url": "https://t.example/1"},
    )
    await _event(api, "order_delivered", order_data)
    await _event(api, "order_cancelled", order_data | {"order_id": f"{API_ORDER}_2"})
    await _event(api, "cart_recovered", {"cart_id": SHOPIFY_CHECKOUT, "customer_email": MARK_EMAIL,
                                         "order_id": str(SHOPIFY_ORDER)})  # fmt: skip
    # Three orders (Shopify's, WooCommerce's, the API's): each journey thanks the customer.
    order_journeys = await eventually(
        lambda: _journeys_of(api, order_automation),
        lambda js: len(js) == 3 and all(j["status"] == "completed" for j in js),
    )
    assert {j["outcome"] for j in order_journeys} == {"completed"}
    assert len(_sent(api)) == 5  # two reminders, three thanks

    # Brevo reports what happened to the reminder, carrying the address as Brevo does.
    assert reminder.provider_message_id
    ts = int(datetime.now(UTC).timestamp())
    reports = [
        {"event": kind, "email": MARK_EMAIL, "message-id": reminder.provider_message_id,
         "ts_event": ts + n, "subject": reminder.subject, "tags": ["boomerang"],
         **({"link": f"https://shop.example.com/cart/{CART}"} if kind == "click" else {})}
        for n, kind in enumerate(("delivered", "unique_opened", "click"))
    ]  # fmt: skip
    brevo_answer = await api.http.post(f"/api/v1/webhooks/brevo?secret={BREVO_SECRET}",
                                       json=reports)  # fmt: skip
    assert brevo_answer.json()["recorded"] == 3, brevo_answer.text
    # The customer follows the reminder's tracked link.
    [journey] = await api.journeys(CART, cart_automation)
    link = links.recovery_url(api.settings, CART, f"{journey['id']}:email-1")
    followed = await _visit(api, "GET", link)
    assert followed.status_code == 302, followed.text

    # A marketer writes to the cart, support makes a link back to it with a code, and a
    # marketer messages every cart of the address.
    one = await api.http.post(
        f"/api/v1/carts/{CART}/message",
        json={"template": "cart-reminder", "subject": "Still thinking, {{ customer.first_name }}?"},
    )
    assert one.status_code == 200, one.text
    recovery = await api.http.post(
        f"/api/v1/carts/{CART}/recovery-link", json={"discount_percent": 15},
        headers=api.token(Role.support),
    )  # fmt: skip
    assert recovery.status_code == 200, recovery.text
    bulk = await api.http.post(
        "/api/v1/carts/bulk-message",
        json={"filter": {"email": MARK_EMAIL}, "template": "cart-reminder"},
    )
    assert bulk.status_code == 202, bulk.text

    async def bulk_status() -> dict[str, Any]:
        found: dict[str, Any] = (await api.http.get(bulk.json()["status_url"])).json()
        return found

    report = await eventually(bulk_status, lambda found: found["status"] == "completed")
    assert report["sent"] >= 1, report
    # A simulation of the cart automation over the last carts; a template's test send.
    simulated = await api.http.post(f"/api/v1/automations/{cart_automation}/simulate", json={})
    assert simulated.status_code in (200, 202), simulated.text

    async def simulation() -> dict[str, Any]:
        found: dict[str, Any] = (
            await api.http.get(f"/api/v1/simulations/{simulated.json()['id']}")
        ).json()
        return found

    assert (await eventually(simulation, lambda s: s["status"] != "running"))["status"] == "done"
    test_send = await api.http.post(
        "/api/v1/templates/cart-reminder/test-send",
        json={"to": MARK_EMAIL, "context": {"customer": {"first_name": MARK_FIRST}}},
    )
    assert test_send.status_code == 202, test_send.text
    # At last the customer unsubscribes: the email's one-click link, then the shop says so.
    unsubscribe = links.unsubscribe_url(
        api.settings, reminder_customer(api), reminder.idempotency_key
    )
    one_click = await _visit(api, "POST", unsubscribe, b"List-Unsubscribe=One-Click")
    assert one_click.status_code == 200, one_click.text
    await _event(api, "unsubscribed", {"customer_email": MARK_EMAIL})

    # The export holds every kind of record this made, with what was sent.
    exported = await api.http.get("/api/v1/customers/export", params={"email": MARK_EMAIL})
    assert exported.status_code == 200, exported.text
    document = exported.json()
    empty = [kind for kind in CREATED_KINDS if not document[kind]]
    assert empty == [], f"the export lacks {empty}"
    [customer] = document["customer"]
    assert (customer["email"], customer["first_name"], customer["last_name"]) == (
        MARK_EMAIL, MARK_FIRST, MARK_LAST)  # fmt: skip
    carts = {cart["id"]: cart for cart in document["carts"]}
    assert set(carts) == {CART, WOO_CART, SHOPIFY_CHECKOUT}
    assert [item["name"] for item in carts[CART]["items"]] == [i["name"] for i in ITEMS]
    assert {o["id"] for o in document["orders"]} == {
        API_ORDER, f"{API_ORDER}_2", str(SHOPIFY_ORDER), "727"}  # fmt: skip
    assert {event["type"] for event in document["events"]} == EVENT_TYPES
    assert any(e["data"].get("customer", {}).get("first_name") == MARK_FIRST
               for e in document["events"])  # fmt: skip
    subjects = {message["subject"] for message in document["messages"]}
    assert {f"{MARK_FIRST}, your cart is waiting", f"Thank you, {MARK_FIRST}",
            f"Still thinking, {MARK_FIRST}?"} <= subjects  # fmt: skip
    assert any(m["to_email"] == "owner@shop.example.com" for m in document["messages"])
    assert {e["event"] for e in document["message_events"]} >= {"delivered", "opened", "clicked"}
    assert {e["source"] for e in document["message_events"]} == {"brevo", "link"}
    assert {e["automation_id"] for e in document["enrolments"]} == {
        cart_automation, order_automation}  # fmt: skip
    assert sorted(code["percent"] for code in document["discount_codes"]) == [10, 10, 15]
    [suppression] = document["suppression"]
    assert suppression["reason"] == "unsubscribed"
    assert {s["cart_id"] for s in document["simulated_carts"]} == {CART, SHOPIFY_CHECKOUT}
    assert [run["filter"]["email"] for run in document["bulk_messages"]] == [MARK_EMAIL]
    [data_request] = document["data_requests"]
    assert (data_request["platform"], data_request["email"]) == ("shopify", MARK_EMAIL)
    summary = await api.http.get("/api/v1/customers/summary", params={"email": MARK_EMAIL})
    assert summary.json()["held"] == {kind: len(document[kind]) for kind in summary.json()["held"]}
    assert summary.json()["erased_before"] is False
    journey_ids = {
        f"journey:{e['automation_id']}:{e['subject_id']}" for e in document["enrolments"]
    }
    assert len(journey_ids) == 5  # the two carts', and one per order placed
    # The scans see what is there: before erasure, the marks are in the database...
    held = {leak.partition(".")[0] for leak in _database_leaks(url)}
    assert held >= {"customer", "event", "message", "suppression", "bulkmessagerun"}, held
    # ...and the Temporal texts include the journeys' (compressed) inputs, decoded.
    texts = await _temporal_texts(dev_server_env)
    assert any("your cart is waiting" in text for _, text in texts)

    # Erasure (support may ask for it), in another case of the address.
    erased = await api.http.post(
        "/api/v1/customers/erase", json={"email": f" {MARK_EMAIL.upper()} "},
        headers=api.token(Role.support),
    )  # fmt: skip
    assert erased.status_code == 200, erased.text
    answer = erased.json()
    assert answer["erased"] is True
    assert (answer["journeys_cancelled"], answer["journeys_not_reached"]) == (2, 0)
    removed = dict(answer["removed"])
    expected = {kind: len(rows) for kind, rows in document.items()
                if isinstance(rows, list) and rows}  # fmt: skip
    # The cancelled journeys recorded their ends before their records were erased.
    assert removed.pop("journey_records") >= expected.pop("journey_records")
    assert removed == expected

    # Every workflow has ended (the cart's was cancelled), so nothing writes any more.
    for journey_id in journey_ids:
        handle = client.get_workflow_handle(journey_id)
        await eventually(handle.describe, lambda found: found.status != RUNNING)
    leaks = _database_leaks(url)
    assert leaks == [], "\n".join(leaks)
    customer_id = customer["id"]
    assert _rows(api, select_rows(Enrolment).where(Enrolment.customer_id == customer_id)) == []
    assert (
        _rows(api, select_rows(JourneyRecord).where(JourneyRecord.customer_id == customer_id)) == []
    )
    [logged] = _rows(
        api, select_rows(AuditEntry).where(AuditEntry.action == "POST /api/v1/customers/erase")
    )
    assert (logged.resource, logged.status_code) == (customer_id, 200)
    assert not _found(json.dumps(logged.detail)) and logged.detail["removed"] == answer["removed"]
    texts = await _temporal_texts(dev_server_env)
    assert {workflow_id for workflow_id, _ in texts} >= journey_ids
    temporal_leaks = [f"{wid}: {found} in {text[:300]!r}"
                      for wid, text in texts if (found := _found(text))]  # fmt: skip
    assert temporal_leaks == [], "\n".join(temporal_leaks)

    # A second erasure finds nothing; the address was erased before.
    again = await api.http.post("/api/v1/customers/erase", json={"email": MARK_EMAIL})
    assert again.json() == {"erased": False, "removed": {}, "journeys_cancelled": 0,
                            "journeys_not_reached": 0}  # fmt: skip
    nothing = (await api.http.get("/api/v1/customers/summary", params={"email": MARK_EMAIL})).json()
    assert nothing["erased_before"] is True and set(nothing["held"].values()) == {0}

    # The address comes back (any case): a new customer, suppressed at once, enrolled nowhere.
    later = "cart_scan_later"
    await _event(api, "cart_abandoned", _cart_data(later, MARK_EMAIL.title()))
    assert _rows(api, select_rows(Enrolment).where(col(Enrolment.cart_id) == later)) == []
    [back] = _rows(api, select_rows(Customer).where(Customer.email == MARK_EMAIL))
    assert _rows(api, select_rows(Suppression.reason).where(Suppression.email == back.email)) == [
        "erased"
    ]
    for automation_id in (cart_automation, order_automation):
        assert await api.journeys(later, automation_id) == []
    shown = (await api.http.get("/api/v1/customers/summary", params={"email": MARK_EMAIL})).json()
    assert shown["erased_before"] is True
    assert (shown["held"]["customer"], shown["held"]["enrolments"]) == (1, 0)
    again_exported = (
        await api.http.get("/api/v1/customers/export", params={"email": MARK_EMAIL})
    ).json()
    assert [s["reason"] for s in again_exported["suppression"]] == ["erased"]
    assert brevo.emails, "the journeys' emails went out through Brevo"
