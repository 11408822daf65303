"""Messages to carts through the real stack: one cart (sent, or refused with its reason), and
a bulk message whose dry run counts exactly what its workflow then sends."""

from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, select

from engine.store.db import session_scope
from engine.store.models import AuditEntry, Message, Suppression
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, cart_event, eventually


async def _abandon(api: Api, cart_id: str, email: str | None) -> None:
    event = cart_event(CART_ABANDONED, cart_id, email)
    event["id"] = f"evt-{cart_id}"
    if email is None:
        event["event"] = "cart_updated"
        event["data"].pop("customer_email")
    assert (await api.http.post("/api/v1/events", json=event)).status_code == 202


def _write(api: Api, *rows: Any) -> None:
    with session_scope(api.settings.resolved_database_url) as session:
        for row in rows:
            session.merge(row)


def _journey_email(to: str) -> Message:
    """An email a journey sent just now: it counts in the frequency cap."""
    return Message(idempotency_key=f"journey:aut_z:{to}:email-1", automation_id="aut_z",
                   to_email=to, subject="earlier", html="", text="", transport="outbox",
                   status="sent", created_at=datetime.now(UTC))  # fmt: skip


async def _message(api: Api, cart_id: str, **headers: str) -> Any:
    return await api.http.post(
        f"/api/v1/carts/{cart_id}/message",
        json={"template": "cart-reminder", "subject": "Still thinking it over?"},
        headers=headers,
    )


async def test_one_cart_is_messaged_once_or_refused_with_its_reason(api: Api) -> None:
    await api.http.put("/api/v1/settings", json={"frequency_cap": "1/1h"})
    for cart_id, email in [("cart_ok", "ok@example.com"), ("cart_sup", "sup@example.com"),
                           ("cart_cap", "cap@example.com"), ("cart_guest", None)]:  # fmt: skip
        await _abandon(api, cart_id, email)
    _write(api, Suppression(email="sup@example.com"), _journey_email("cap@example.com"))

    sent = await _message(api, "cart_ok", **{"Idempotency-Key": "req-1"})
    again = await _message(api, "cart_ok", **{"Idempotency-Key": "req-1"})
    capped_now = await _message(api, "cart_ok")  # its own email now counts in the cap

    assert sent.status_code == 200, sent.text
    assert again.json() == sent.json()
    assert sent.json() == {"message_id": sent.json()["message_id"], "status": "sent"}
    [email] = await api.outbox("ok@example.com")
    assert email["subject"] == "Still thinking it over?"
    assert (capped_now.status_code, capped_now.json()["code"]) == (409, "frequency_cap")
    for cart_id, reason in [("cart_sup", "suppressed"), ("cart_cap", "frequency_cap"),
                            ("cart_guest", "no_email")]:  # fmt: skip
        refused = await _message(api, cart_id)
        assert (refused.status_code, refused.json()["code"]) == (409, reason), refused.text
    await api.http.put("/api/v1/settings", json={"require_marketing_consent": True})
    await _abandon(api, "cart_noconsent", "nc@example.com")
    refused = await _message(api, "cart_noconsent")
    assert (refused.status_code, refused.json()["code"]) == (409, "no_consent")
    assert (await _message(api, "nope")).status_code == 404
    unknown = await api.http.post("/api/v1/carts/cart_ok/message", json={"template": "no-such"})
    assert unknown.status_code == 422 and "template" in unknown.json()["message"]

    with session_scope(api.settings.resolved_database_url) as session:
        logged = session.exec(
            select(AuditEntry)
            .where(AuditEntry.action == "POST /api/v1/carts/{cart_id}/message")
            .order_by(col(AuditEntry.id))
        ).all()
    assert logged[0].resource == "cart_ok" and logged[0].status_code == 200
    assert logged[0].detail["template"] == "cart-reminder"
    assert logged[0].detail["message_id"] == sent.json()["message_id"]
    assert {entry.status_code for entry in logged[3:]} >= {409}


async def test_a_bulk_message_sends_what_its_dry_run_counted(api: Api) -> None:
    await api.http.put("/api/v1/settings", json={"frequency_cap": "1/1h"})
    for n in range(5):
        await _abandon(api, f"cart_bulk_{n}", f"b{n}@bulk.example")
    await _abandon(api, "cart_elsewhere", "other@example.com")  # not matched by the filter
    _write(api, Suppression(email="b3@bulk.example"), _journey_email("b4@bulk.example"))
    request = {"filter": {"email": "@bulk.example", "status": ["abandoned"]},
               "template": "cart-reminder"}  # fmt: skip

    dry = await api.http.post("/api/v1/carts/bulk-message", json={**request, "dry_run": True})
    assert dry.status_code == 200, dry.text
    assert dry.json() == {
        "would_send": 3,
        "skipped": {"suppressed": 1, "no_consent": 0, "frequency_cap": 1, "no_email": 0},
    }

    started = await api.http.post("/api/v1/carts/bulk-message", json=request)
    assert started.status_code == 202, started.text
    status_url = started.json()["status_url"]
    assert status_url == f"/api/v1/carts/bulk-message/{started.json()['run_id']}"

    async def status() -> dict[str, Any]:
        found: dict[str, Any] = (await api.http.get(status_url)).json()
        return found

    first = await status()  # readable from the start, while it runs
    assert first["status"] in ("running", "completed") and first["done"] <= first["total"]
    report = await eventually(status, lambda found: found["status"] == "completed")
    assert (report["total"], report["done"], report["sent"]) == (5, 5, dry.json()["would_send"])
    assert report["skipped"] == dry.json()["skipped"]
    assert report["finished_at"] is not None
    with session_scope(api.settings.resolved_database_url) as session:
        keys = session.exec(
            select(Message.idempotency_key).where(col(Message.idempotency_key).startswith("bulk:"))
        ).all()
    assert sorted(keys) == [f"bulk:{started.json()['run_id']}:cart_bulk_{n}" for n in range(3)]
    for n in range(3):
        assert len(await api.outbox(f"b{n}@bulk.example")) == 1

    # What a finished run reports stays (it is in the database, not only in Temporal).
    assert await status() == report
    assert (await api.http.get("/api/v1/carts/bulk-message/bulk_nope")).status_code == 404


async def test_one_cart_s_message_and_a_bulk_message_go_in_each_customer_s_language(
    api: Api,
) -> None:
    shown = (await api.http.get("/api/v1/templates/cart-reminder")).json()["versions"][0]
    korean = {"subject": "{{ customer.first_name }}님, 장바구니가 기다려요",
              "mjml": shown["mjml"], "text": "합계: {{ cart.total }}"}  # fmt: skip
    saved = await api.http.put(
        "/api/v1/templates/cart-reminder/draft",
        json={**{k: shown[k] for k in ("subject", "mjml", "text")}, "translations": {"ko": korean}},
    )
    assert saved.status_code == 200, saved.text
    await api.http.post("/api/v1/templates/cart-reminder/publish")
    for n, locale in enumerate(["ko-KR", "en-US"]):
        event = cart_event(CART_ABANDONED, f"cart_lang_{n}", f"l{n}@lang.example")
        event["id"] = f"evt-lang-{n}"
        event["data"]["customer"] = {"first_name": "Min", "locale": locale}
        assert (await api.http.post("/api/v1/events", json=event)).status_code == 202

    one = await api.http.post(
        "/api/v1/carts/cart_lang_0/message", json={"template": "cart-reminder"}
    )
    request = {"filter": {"email": "@lang.example"}, "template": "cart-reminder"}
    started = await api.http.post("/api/v1/carts/bulk-message", json=request)
    await eventually(lambda: api.outbox("l1@lang.example"), lambda found: len(found) == 1)

    assert one.status_code == 200, one.text
    with session_scope(api.settings.resolved_database_url) as session:
        sent = session.exec(select(Message).where(col(Message.to_email).endswith("@lang.example")))
        by_key = {(m.to_email, m.idempotency_key.split(":")[0]): m for m in sent}
    assert started.status_code == 202, started.text
    first = by_key[("l0@lang.example", "message")]
    assert (first.subject, first.locale) == ("Min님, 장바구니가 기다려요", "ko")
    assert first.text.startswith("합계: ")
    english = by_key[("l1@lang.example", "bulk")]
    assert (english.subject, english.locale) == ("Min, your cart is waiting", "en")
