"""POST /api/v1/webhooks/brevo: Brevo's delivery reports behind a shared secret; an
unsubscribe reported by Brevo stops the customer's running journeys."""

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from builder_api.main import create_app
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Customer, Message, MessageEvent, Suppression
from tests.builder_api.conftest import Api
from tests.conftest import ADMIN_TOKEN
from tests.support import CART_ABANDONED, automation, cart_event, eventually

SECRET = "brevo-hook-" + "x" * 20
HOOK = "/api/v1/webhooks/brevo"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
async def hooks(settings: Settings, dev_server_env: WorkflowEnvironment) -> AsyncIterator[Api]:
    """The API with a Brevo webhook secret, a real Temporal dev server and a worker."""
    target = dev_server_env.client.service_client.config.target_host
    settings = settings.model_copy(
        update={"temporal_address": target, "brevo_webhook_secret": SecretStr(SECRET)}
    )
    prepare(settings)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with (
        build_worker(dev_server_env.client, settings),
        httpx.AsyncClient(transport=transport, base_url="http://boomerang.test") as http,
    ):
        yield Api(http=http, settings=settings)


def _sent(settings: Settings, to: str, provider_id: str, cart_id: str = "cart_1") -> int:
    """A message the brevo transport sent earlier."""
    with session_scope(settings.resolved_database_url) as session:
        message = Message(
            idempotency_key=f"journey:aut_x:{cart_id}:email-1",
            cart_id=cart_id,
            step_id="email-1",
            to_email=to,
            subject="Still there?",
            html="<p>x</p>",
            text="x",
            transport="brevo",
            status="sent",
            provider_message_id=provider_id,
        )
        session.add(message)
        session.flush()
        assert message.id is not None
        return message.id


def _report(event: str, provider_id: str, ts: int = 1768487400) -> dict[str, Any]:
    return {"event": event, "email": "x@example.com", "id": 1, "date": "2026-01-15 15:30:00",
            "ts": ts, "ts_event": ts, "message-id": provider_id, "tags": ["boomerang"]}  # fmt: skip


def _basic(password: str) -> str:
    return "Basic " + base64.b64encode(f"brevo:{password}".encode()).decode()


@pytest.mark.parametrize(
    ("params", "headers"),
    [({"secret": SECRET}, {}), ({}, {"Authorization": f"Bearer {SECRET}"}),
     ({}, {"Authorization": _basic(SECRET)})],
    ids=["query", "bearer", "basic"],
)  # fmt: skip
async def test_a_report_with_the_secret_is_recorded(
    hooks: Api, params: dict[str, str], headers: dict[str, str]
) -> None:
    provider_id = "<202601151430.1@smtp-relay.mailin.fr>"
    message_id = _sent(hooks.settings, "jane@example.com", provider_id)

    response = await hooks.http.post(
        HOOK, params=params, headers=headers, json=_report("delivered", provider_id)
    )

    assert response.status_code == 200, response.text
    assert response.json() == {"recorded": 1, "repeated": 0, "ignored": 0, "unknown": 0}
    with session_scope(hooks.settings.resolved_database_url) as session:
        [event] = session.exec(select(MessageEvent)).all()
    assert (event.message_id, event.event, event.source) == (message_id, "delivered", "brevo")


@pytest.mark.parametrize(
    ("params", "headers"),
    [({}, {}), ({"secret": "wrong"}, {}), ({}, {"Authorization": "Bearer wrong"}),
     ({}, {"Authorization": _basic("wrong")}), ({}, {"Authorization": "Basic %%%"}),
     ({"secret": SECRET[:-1]}, {})],
)  # fmt: skip
async def test_a_call_without_the_secret_is_refused(
    hooks: Api, params: dict[str, str], headers: dict[str, str]
) -> None:
    provider_id = "<202601151430.2@smtp-relay.mailin.fr>"
    _sent(hooks.settings, "jane@example.com", provider_id)

    response = await hooks.http.post(
        HOOK, params=params, headers=headers, json=_report("hard_bounce", provider_id)
    )

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_secret"
    with session_scope(hooks.settings.resolved_database_url) as session:
        assert session.exec(select(Suppression)).all() == []


async def test_without_a_configured_secret_every_call_is_refused(api: Api) -> None:
    response = await api.http.post(HOOK, params={"secret": ""}, json=_report("delivered", "<a@b>"))

    assert response.status_code == 401
    assert "BOOMERANG_BREVO_WEBHOOK_SECRET" in response.json()["message"]


async def test_a_list_of_reports_is_recorded_and_the_unknown_acknowledged(hooks: Api) -> None:
    provider_id = "<202601151430.3@smtp-relay.mailin.fr>"
    _sent(hooks.settings, "bounce@example.com", provider_id)
    reports = [
        _report("delivered", provider_id),
        _report("spam", provider_id, ts=1768487500),
        _report("delivered", "<somebody-else@smtp-relay.mailin.fr>"),
        _report("request", provider_id),
    ]

    response = await hooks.http.post(HOOK, params={"secret": SECRET}, json=reports)

    assert response.status_code == 200, response.text
    assert response.json() == {"recorded": 2, "repeated": 0, "ignored": 1, "unknown": 1}
    with session_scope(hooks.settings.resolved_database_url) as session:
        assert session.get(Suppression, "bounce@example.com") is not None


async def test_a_body_that_is_not_events_is_refused(hooks: Api) -> None:
    not_json = await hooks.http.post(HOOK, params={"secret": SECRET}, content=b"{nope")
    not_events = await hooks.http.post(HOOK, params={"secret": SECRET}, json="delivered")

    assert (not_json.status_code, not_json.json()["code"]) == (400, "invalid_json")
    assert (not_events.status_code, not_events.json()["code"]) == (400, "invalid_event")


async def test_an_unsubscribe_reported_by_brevo_stops_the_customers_journeys(hooks: Api) -> None:
    http = hooks.http
    created = await http.post("/api/v1/automations", json=automation(wait="1h"), headers=ADMIN)
    assert created.status_code == 201, created.text
    params = {"cart_id": "cart_unsub_brevo", "automation_id": created.json()["id"]}
    abandoned = cart_event(CART_ABANDONED, "cart_unsub_brevo", "unsub-brevo@example.com")
    accepted = await http.post("/api/v1/events", json=abandoned, headers=ADMIN)
    assert accepted.status_code == 202, accepted.text

    async def journeys() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = (
            await http.get("/api/v1/journeys", params=params, headers=ADMIN)
        ).json()
        return found

    await eventually(journeys, lambda js: len(js) == 1 and js[0]["status"] == "running")
    provider_id = "<202601151430.4@smtp-relay.mailin.fr>"
    _sent(hooks.settings, "unsub-brevo@example.com", provider_id, cart_id="cart_unsub_brevo")
    report = _report("unsubscribed", provider_id)

    response = await http.post(HOOK, params={"secret": SECRET}, json=report)
    repeated = await http.post(HOOK, params={"secret": SECRET}, json=report)

    assert response.status_code == repeated.status_code == 200, response.text
    assert (response.json()["recorded"], repeated.json()["repeated"]) == (1, 1)
    done = await eventually(journeys, lambda js: js[0]["status"] == "completed")
    assert done[0]["outcome"] == "unsubscribed"
    with session_scope(hooks.settings.resolved_database_url) as session:
        suppression = session.get(Suppression, "unsub-brevo@example.com")
    assert suppression is not None and suppression.reason == "unsubscribed"


async def test_an_unsubscribe_while_temporal_is_down_is_refused_whole(settings: Settings) -> None:
    """Brevo retries a failed call: nothing of it is kept until the journeys can be told."""
    settings = settings.model_copy(
        update={"temporal_address": "127.0.0.1:1", "brevo_webhook_secret": SecretStr(SECRET)}
    )
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        session.add(Customer(email="down@example.com"))
    provider_id = "<202601151430.5@smtp-relay.mailin.fr>"
    _sent(settings, "down@example.com", provider_id)
    transport = httpx.ASGITransport(app=create_app(settings))

    async with httpx.AsyncClient(transport=transport, base_url="http://boomerang.test") as http:
        response = await http.post(
            HOOK, params={"secret": SECRET}, json=[_report("delivered", provider_id),
                                                   _report("unsubscribed", provider_id)]
        )  # fmt: skip

    assert response.status_code == 503
    assert response.headers["Retry-After"]
    with session_scope(settings.resolved_database_url) as session:
        assert session.exec(select(MessageEvent)).all() == []
        assert session.exec(select(Suppression)).all() == []


async def test_the_webhook_is_described_in_openapi(hooks: Api) -> None:
    document = (await hooks.http.get("/api/v1/openapi.json")).json()

    operation = document["paths"][HOOK]["post"]
    assert operation["summary"] and operation["description"]
    assert "secret" in {parameter["name"] for parameter in operation["parameters"]}
