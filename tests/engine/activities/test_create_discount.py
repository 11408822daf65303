"""The create_discount action: one single-use code per step, however often the step runs."""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import select
from temporalio.testing import ActivityEnvironment

from engine.activities import create_discount as module
from engine.activities.create_discount import CreateDiscount
from engine.activities.runner import build_activities
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import DiscountCode

STARTED = datetime(2024, 1, 15, 14, 30, tzinfo=UTC)


@pytest.fixture
def create_discount(settings: Settings) -> object:
    prepare(settings)
    [activity] = [a for a in build_activities(settings) if a.__name__ == "create_discount"]
    return activity


def _env(started: datetime = STARTED) -> ActivityEnvironment:
    env = ActivityEnvironment()
    env.info = replace(env.info, started_time=started)
    return env


def _request(**params: Any) -> ActionRequest:
    return ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id="code-vip",
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_1",
        customer_id="cus_1",
        params={"percent": 15, **params},
    )


def _codes(settings: Settings) -> list[DiscountCode]:
    with session_scope(settings.resolved_database_url) as session:
        return list(session.exec(select(DiscountCode)).all())


async def test_creates_a_single_use_code_valid_for_a_week(
    settings: Settings, create_discount: object
) -> None:
    result = await _env().run(create_discount, _request())

    [stored] = _codes(settings)
    assert re.fullmatch(r"SAVE15-[A-HJ-NP-Z2-9]{6}", stored.code)
    assert (stored.percent, stored.usage_limit, stored.times_used) == (15, 1, 0)
    assert stored.expires_at == STARTED + timedelta(days=7)
    assert (stored.cart_id, stored.customer_id) == ("cart_1", "cus_1")
    assert stored.idempotency_key == "journey:aut_1:cart_1:code-vip"
    assert result.model_dump() == {
        "status": "created",
        "discount_id": stored.id,
        "code": stored.code,
        "percent": 15,
        "expires_at": "2024-01-22T14:30:00+00:00",
    }


async def test_a_retry_returns_the_first_code_and_expiry(
    settings: Settings, create_discount: object
) -> None:
    first = await _env().run(create_discount, _request())
    retry = await _env(STARTED + timedelta(minutes=5)).run(create_discount, _request())

    assert len(_codes(settings)) == 1
    assert retry.model_dump() == {**first.model_dump(), "repeated": True}


async def test_prefix_and_validity_are_settable(create_discount: object) -> None:
    result = await _env().run(create_discount, _request(prefix="VIP", expires_in="48h"))

    assert result.model_extra is not None
    assert result.model_extra["code"].startswith("VIP15-")
    assert result.model_extra["expires_at"] == "2024-01-17T14:30:00+00:00"


async def test_a_code_already_taken_is_drawn_again(
    settings: Settings, create_discount: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(settings.resolved_database_url) as session:
        session.add(
            DiscountCode(
                code="SAVE15-AAAAAA",
                percent=15,
                expires_at=STARTED,
                idempotency_key="journey:aut_1:cart_2:code-vip",
            )
        )
    draws = iter(["SAVE15-AAAAAA", "SAVE15-BBBBBB"])
    monkeypatch.setattr(module, "new_code", lambda _prefix, _percent: next(draws))

    result = await _env().run(create_discount, _request())

    assert result.model_extra is not None
    assert result.model_extra["code"] == "SAVE15-BBBBBB"
    assert sorted(code.code for code in _codes(settings)) == ["SAVE15-AAAAAA", "SAVE15-BBBBBB"]


@pytest.mark.parametrize(
    "params",
    [{"percent": 0}, {"percent": 91}, {"percent": 10, "prefix": "save"},
     {"percent": 10, "prefix": "THIRTEENCHARS"}, {"percent": 10, "expires_in": "0s"},
     {"percent": 10, "expires_in": "soon"}],
)  # fmt: skip
def test_bad_params_are_refused(params: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CreateDiscount.model_validate(params)


def test_the_builder_sees_the_default_validity_as_written() -> None:
    schema = CreateDiscount.model_json_schema()

    assert schema["properties"]["expires_in"]["default"] == "7d"
    assert CreateDiscount(percent=10).expires_in == timedelta(days=7)
