"""Whatever a client sends, the events endpoint answers 2xx or a 4xx with a stable `code`, a
human `message` and the field at fault; never a 500, and a refused request writes nothing."""

import copy
import json
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from engine.service import ingest as ingest_service
from engine.store.db import session_scope
from engine.store.models import Cart, Customer, Event
from tests.builder_api.conftest import Api
from tests.support import CART_ABANDONED, CART_RECOVERED, cart_event


def _good(cart_id: str = "cart_fuzz", **data: Any) -> dict[str, Any]:
    event = cart_event(CART_ABANDONED, cart_id, event="cart_updated")
    event["data"].update(data)
    return event


def _with(path: str, value: Any) -> dict[str, Any]:
    """A good event with one value replaced (`data.items.0.price`), or removed (`...`)."""
    event = _good()
    *parents, last = path.split(".")
    target: Any = event
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if value is ...:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return event


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def _rows(api: Api) -> tuple[int, int, int]:
    with session_scope(api.settings.resolved_database_url) as session:
        return tuple(  # type: ignore[return-value]
            session.exec(select(func.count()).select_from(table)).one()
            for table in (Event, Cart, Customer)
        )


REFUSED: list[tuple[str, Any, int, str, str]] = [
    # (case, body: bytes as sent or JSON, status, code, the field named)
    ("not json", b"{nope", 400, "invalid_json", ""),
    ("empty body", b"", 400, "invalid_json", ""),
    ("not utf-8", b"\xff\xfe{}", 400, "invalid_json", ""),
    ("nested beyond the parser", b"[" * 100_000 + b"]" * 100_000, 400, "invalid_json", ""),
    ("a list", [_good()], 422, "invalid_event", ""),
    ("a string", "cart_updated", 422, "invalid_event", ""),
    ("null", None, 422, "invalid_event", ""),
    ("an empty object", {}, 422, "invalid_event", "event"),
    ("unknown type", _with("event", "cart_eaten"), 422, "invalid_event", "event"),
    ("type of the wrong kind", _with("event", 7), 422, "invalid_event", "event"),
    ("no data", _with("data", ...), 422, "invalid_event", "data"),
    ("data is a list", _with("data", []), 422, "invalid_event", "data"),
    ("no timestamp", _with("timestamp", ...), 422, "invalid_event", "timestamp"),
    ("naive timestamp", _with("timestamp", "2024-01-15T14:30:00"), 422, "invalid_event",
     "timestamp"),
    ("timestamp is a list", _with("timestamp", [2024]), 422, "invalid_event", "timestamp"),
    ("timestamp past year 9999", _with("timestamp", "9999-12-31T23:00:00-05:00"), 422,
     "invalid_event", "timestamp"),
    ("timestamp before year 1", _with("timestamp", "0001-01-01T00:00:00+05:00"), 422,
     "invalid_event", "timestamp"),
    ("id is a number", _with("id", 5), 422, "invalid_event", "id"),
    ("id is empty", _with("id", ""), 422, "invalid_event", "id"),
    ("unknown envelope field", {**_good(), "extra": 1}, 422, "invalid_event", "extra"),
    ("cart id missing", _with("data.cart_id", ...), 422, "invalid_event", "data.cart_id"),
    ("huge cart id", _with("data.cart_id", "c" * 10_000), 422, "invalid_event", "data.cart_id"),
    ("cart id with NUL", _with("data.cart_id", "cart\x00x"), 422, "invalid_event",
     "data.cart_id"),
    ("cart id with a line break", _with("data.cart_id", "cart\n1"), 422, "invalid_event",
     "data.cart_id"),
    ("huge email", _with("data.customer_email", "a" * 5_000 + "@example.com"), 422,
     "invalid_event", "data.customer_email"),
    ("total is text", _with("data.total", "lots"), 422, "invalid_event", "data.total"),
    ("total is infinite", _with("data.total", 1e400), 422, "invalid_event", "data.total"),
    ("total too precise", _with("data.total", 1.001), 422, "invalid_event", "data.total"),
    ("total too large", _with("data.total", 10**20), 422, "invalid_event", "data.total"),
    ("items is an object", _with("data.items", {"id": "x"}), 422, "invalid_event",
     "data.items"),
    ("item is a string", _with("data.items.0", "headphones"), 422, "invalid_event",
     "data.items.0"),
    ("fractional quantity", _with("data.items.0.quantity", 1.5), 422, "invalid_event",
     "data.items.0.quantity"),
    ("absurd quantity", _with("data.items.0.quantity", 10**30), 422, "invalid_event",
     "data.items.0.quantity"),
    ("huge item name", _with("data.items.0.name", "n" * 1_000_000), 422, "invalid_event",
     "data.items.0.name"),
    ("unknown time zone", _with("data.customer_timezone", "Mars/Olympus"), 422,
     "invalid_event", "data.customer_timezone"),
    ("extra field nested too deep", _with("data.notes", _nested(300)), 422, "invalid_event",
     "data"),
    ("empty batch", {"events": []}, 422, "invalid_event", "events"),
    ("501 events", {"events": [_good(f"cart_{n}") for n in range(501)]}, 422,
     "invalid_event", "events"),
    ("events is not a list", {"events": "all"}, 422, "invalid_event", "events"),
    ("unknown batch field", {"events": [_good()], "more": True}, 422, "invalid_event", "more"),
    ("bad type in a batch", {"events": [_good(), _with("event", "nope")]}, 422,
     "invalid_event", "events.1.event"),
    ("recovery with a bad duration",
     {**cart_event(CART_RECOVERED, "cart_r"), "data": {"cart_id": "cart_r",
                                                      "time_to_recover": "soon"}},
     422, "invalid_event", "data.time_to_recover"),
    ("order without order id", {"event": "order_paid", "timestamp": "2024-01-15T14:30:00Z",
                                "data": {"cart_id": "c"}}, 422, "invalid_event",
     "data.order_id"),
    ("fulfilment line without item", {"event": "order_fulfilled",
                                      "timestamp": "2024-01-15T14:30:00Z",
                                      "data": {"order_id": "o", "lines": [{"quantity": 1}]}},
     422, "invalid_event", "data.lines.0.item_id"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [case[1:] for case in REFUSED],
    ids=[case[0] for case in REFUSED],
)
async def test_bad_input_is_a_4xx_naming_the_field_and_writes_nothing(
    api: Api, body: Any, status: int, code: str, field: str
) -> None:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    response = await api.http.post(
        "/api/v1/events", content=content, headers={"Content-Type": "application/json"}
    )

    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["code"] == code
    assert isinstance(answer["message"], str) and answer["message"]
    if status == 422:
        assert answer["problems"][0]["field"] == field
        assert answer["message"].startswith(field) if field else True
    assert _rows(api) == (0, 0, 0)


async def test_a_batch_with_one_bad_event_writes_none_of_them(api: Api) -> None:
    batch = [_good(f"cart_b{n}", total=n) for n in range(5)]
    batch[3]["data"]["customer_email"] = "not-an-address"

    response = await api.http.post("/api/v1/events", json={"events": batch})

    assert response.status_code == 422
    problem = response.json()["problems"][0]
    assert problem["field"] == "events.3.data.customer_email"
    assert response.json()["message"].startswith("events.3.data.customer_email: ")
    assert _rows(api) == (0, 0, 0)


async def test_every_problem_of_a_batch_is_listed(api: Api) -> None:
    batch = [_good("cart_p0", total=-1), _good("cart_p1"), _with("data.cart_id", ...)]

    response = await api.http.post("/api/v1/events", json={"events": batch})

    fields = [problem["field"] for problem in response.json()["problems"]]
    assert fields == ["events.0.data.total", "events.2.data.cart_id"]
    assert "(and 1 more problem)" in response.json()["message"]


async def test_a_body_over_the_limit_is_refused_unread(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.settings, "max_body_bytes", 1_000)
    body = json.dumps({"events": [_good(f"cart_{n}") for n in range(10)]}).encode()

    response = await api.http.post(
        "/api/v1/events", content=body, headers={"Content-Type": "application/json"}
    )

    assert (response.status_code, response.json()["code"]) == (413, "body_too_large")
    assert _rows(api) == (0, 0, 0)


async def test_unknown_data_fields_are_kept_not_refused(api: Api) -> None:
    event = _good("cart_extra", loyalty={"tier": "gold", "points": [1, 2, 3]}, note="\x00ok")

    response = await api.http.post("/api/v1/events", json=event)

    assert response.status_code == 202, response.text
    with session_scope(api.settings.resolved_database_url) as session:
        [stored] = session.exec(select(Event)).all()
    assert stored.data["loyalty"] == {"tier": "gold", "points": [1, 2, 3]}


async def test_a_simultaneous_write_is_retried(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    """A concurrent request that wrote the same rows first fails ours at the commit, before
    Temporal heard anything: ingestion tries again and finds them."""
    real = ingest_service.ingest
    calls = 0

    async def collides_once(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
        return await real(*args)

    monkeypatch.setattr(ingest_service, "ingest", collides_once)

    response = await api.http.post("/api/v1/events", json=_good("cart_race"))

    assert response.status_code == 202 and calls == 2


async def test_writes_that_keep_colliding_are_a_409(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def always_collides(*_args: Any) -> Any:
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(ingest_service, "ingest", always_collides)

    response = await api.http.post("/api/v1/events", json=_good("cart_race"))

    assert (response.status_code, response.json()["code"]) == (409, "conflict")


@pytest.mark.parametrize("key", [b"has space", b"x" * 191, b"tab\there", "é".encode()])
async def test_a_malformed_idempotency_key_is_refused(api: Api, key: bytes) -> None:
    response = await api.http.post("/api/v1/events", json=_good(), headers={"Idempotency-Key": key})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_idempotency_key"
    assert response.json()["problems"][0]["field"] == "Idempotency-Key"
    assert _rows(api) == (0, 0, 0)


def test_the_cases_do_not_share_state() -> None:
    """The table above is built once; each case must be a copy of its own."""
    first, second = _good(), copy.deepcopy(_good())
    assert first == second and first is not second
