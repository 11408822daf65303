"""The create_discount action: one single-use code per step, however often the step runs."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment, WorkflowEnvironment

from engine.activities import create_discount as module
from engine.activities.create_discount import CreateDiscount
from engine.activities.runner import build_activities
from engine.discounts import PlatformUnauthorized
from engine.language.contracts import ActionRequest, JourneyInput
from engine.runtime.settings import Settings
from engine.runtime.worker import build_worker
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import Customer, DiscountCode
from engine.workflows.journey import JourneyWorkflow
from tests.engine.activities.support import seed_carts
from tests.engine.workflows.support import definition_of
from tests.shopify_admin_server import ACCESS_TOKEN as SHOPIFY_TOKEN
from tests.shopify_admin_server import ShopifyAdminServer, running_shopify
from tests.woocommerce_server import (
    CONSUMER_KEY,
    CONSUMER_SECRET,
    WooCommerceServer,
    running_woocommerce,
)

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


# -- codes issued in the shop's platform (BOOMERANG_DISCOUNT_PROVIDER) ---------------------
# The real providers talk to loopback Shopify and WooCommerce servers; the activity runs as
# Temporal runs it (ActivityEnvironment), on a real database.

NOW = datetime.now(UTC).replace(microsecond=0)  # Shopify refuses codes that end before they start


@dataclass
class Platform:
    name: str
    shop: ShopifyAdminServer | WooCommerceServer
    settings: Settings

    def codes(self) -> list[dict[str, Any]]:
        """The codes the platform holds."""
        if isinstance(self.shop, ShopifyAdminServer):
            return self.shop.discounts
        return self.shop.coupons

    def creates(self) -> int:
        return self.shop.creates()

    def activity(self) -> object:
        [activity] = [a for a in build_activities(self.settings)
                      if a.__name__ == "create_discount"]  # fmt: skip
        return activity


@pytest.fixture(params=["shopify", "woocommerce"])
def platform(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Platform]:
    prepare(settings)
    seed_carts(settings)
    if request.param == "shopify":
        with running_shopify() as shopify:
            shopify.add_customer("jane@example.com")
            update: dict[str, Any] = {"shopify_shop": shopify.url,
                                      "shopify_access_token": SecretStr(SHOPIFY_TOKEN)}  # fmt: skip
            yield Platform("shopify", shopify, _provided(settings, "shopify", update))
    else:
        with running_woocommerce() as woocommerce:
            update = {"woocommerce_url": woocommerce.url,
                      "woocommerce_consumer_key": SecretStr(CONSUMER_KEY),
                      "woocommerce_consumer_secret": SecretStr(CONSUMER_SECRET)}  # fmt: skip
            yield Platform("woocommerce", woocommerce, _provided(settings, "woocommerce", update))


def _provided(settings: Settings, provider: str, update: dict[str, Any]) -> Settings:
    return settings.model_copy(update={"discount_provider": provider, **update})


def _set_status(settings: Settings, status: str) -> None:
    with session_scope(settings.resolved_database_url) as session:
        [stored] = session.exec(select(DiscountCode)).all()
        stored.status, stored.provider_id = status, None
        session.add(stored)


async def test_the_code_is_created_in_the_shop_and_recorded_with_its_id(
    platform: Platform,
) -> None:
    result = await _env(NOW).run(platform.activity(), _request())

    [stored] = _codes(platform.settings)
    [issued] = platform.codes()
    assert result.model_extra is not None and result.model_extra["code"] == stored.code
    assert (stored.status, stored.provider) == ("created", platform.name)
    assert stored.provider_id == str(issued["id"])
    expires = NOW + timedelta(days=7)
    if isinstance(platform.shop, ShopifyAdminServer):
        assert issued["code"] == stored.code
        assert issued["customerGets"]["value"] == {"percentage": 0.15}
        assert (issued["usageLimit"], issued["appliesOncePerCustomer"]) == (1, True)
        assert datetime.fromisoformat(issued["endsAt"]) == expires
        jane = platform.shop.customers["jane@example.com"]
        assert issued["customerSelection"] == {"customers": {"add": [jane]}}
    else:
        assert issued["code"] == stored.code.lower()
        assert (issued["discount_type"], issued["amount"]) == ("percent", "15.00")
        assert (issued["usage_limit"], issued["usage_limit_per_user"]) == (1, 1)
        assert datetime.fromisoformat(issued["date_expires"]) == expires
        assert issued["email_restrictions"] == ["jane@example.com"]


async def test_a_retry_after_the_answer_was_lost_finds_the_code_and_creates_none(
    platform: Platform,
) -> None:
    platform.shop.drop_next_create()
    activity = platform.activity()

    with pytest.raises(Exception) as lost:
        await _env(NOW).run(activity, _request())
    assert not isinstance(lost.value, ApplicationError), "transient: Temporal retries it"
    [pending] = _codes(platform.settings)
    assert pending.status == "creating"

    retry = await _env(NOW + timedelta(seconds=10)).run(activity, _request())

    [issued] = platform.codes()
    [stored] = _codes(platform.settings)
    assert platform.creates() == 1
    assert (stored.status, stored.provider_id) == ("created", str(issued["id"]))
    assert retry.model_extra is not None and retry.model_extra["code"] == pending.code


async def test_a_retry_whose_first_attempt_never_recorded_the_answer_creates_none(
    platform: Platform,
) -> None:
    activity = platform.activity()
    first = await _env(NOW).run(activity, _request())
    _set_status(platform.settings, "creating")  # as if the worker died before `_settle`

    retry = await _env(NOW + timedelta(minutes=1)).run(activity, _request())

    assert len(platform.codes()) == 1
    assert platform.creates() == 1
    [stored] = _codes(platform.settings)
    assert (stored.status, stored.provider_id) == ("created", str(platform.codes()[0]["id"]))
    assert retry.model_extra is not None and first.model_extra is not None
    assert retry.model_extra["code"] == first.model_extra["code"]


async def test_a_code_the_platform_refuses_fails_the_step_for_good(
    platform: Platform, settings: Settings
) -> None:
    if isinstance(platform.shop, ShopifyAdminServer):
        invalid = {"field": ["basicCodeDiscount", "code"], "code": "INVALID",
                   "message": "Code is invalid"}  # fmt: skip
        platform.shop.refuse_next_create(invalid)
        shown = "shopify refused the code: basicCodeDiscount.code: Code is invalid"
    else:  # WooCommerce refuses an address WordPress does not take for one
        with session_scope(settings.resolved_database_url) as session:
            jane = session.get(Customer, "cus_1")
            assert jane is not None
            jane.email = "jane@localhost"
            session.add(jane)
        shown = ("woocommerce refused the code: coupon_invalid_email_address: "
                 "Invalid email address restriction")  # fmt: skip
    activity = platform.activity()

    with pytest.raises(ApplicationError) as refused:
        await _env(NOW).run(activity, _request())

    assert refused.value.non_retryable
    assert refused.value.message == shown
    [stored] = _codes(platform.settings)
    assert (stored.status, stored.error) == ("failed", shown)
    asked = len(platform.shop.requests)
    with pytest.raises(ApplicationError) as again:
        await _env(NOW).run(activity, _request())
    assert (again.value.non_retryable, again.value.message) == (True, shown)
    assert len(platform.shop.requests) == asked, "a failed code is not asked for again"
    assert platform.codes() == []


async def test_a_rate_limit_retries_after_the_wait_the_platform_asked_for(
    platform: Platform,
) -> None:
    platform.shop.fail_next(429, retry_after="7")
    activity = platform.activity()

    with pytest.raises(ApplicationError) as busy:
        await _env(NOW).run(activity, _request())

    assert not busy.value.non_retryable
    assert busy.value.next_retry_delay == timedelta(seconds=7)
    assert busy.value.message.startswith(f"{platform.name} is rate limiting us")
    assert [code.status for code in _codes(platform.settings)] == ["creating"]
    await _env(NOW).run(activity, _request())
    assert [code.status for code in _codes(platform.settings)] == ["created"]
    assert len(platform.codes()) == 1


async def test_a_refused_token_says_what_it_needs_and_is_retried(platform: Platform) -> None:
    platform.shop.fail_next(401)

    with pytest.raises(ApplicationError) as refused:
        await _env(NOW).run(platform.activity(), _request())

    assert not refused.value.non_retryable, "fixing the token lets the journey go on"
    needed = "write_discounts" if platform.name == "shopify" else "Read/Write permission"
    assert needed in refused.value.message


async def test_a_shopify_token_without_read_customers_is_named(
    settings: Settings,
) -> None:
    prepare(settings)
    seed_carts(settings)
    with running_shopify() as shopify:
        shopify.add_customer("jane@example.com")
        shopify.scopes = {"write_discounts"}
        update = {"shopify_shop": shopify.url,
                  "shopify_access_token": SecretStr(SHOPIFY_TOKEN)}  # fmt: skip
        platform = Platform("shopify", shopify, _provided(settings, "shopify", update))

        with pytest.raises(ApplicationError) as refused:
            await _env(NOW).run(platform.activity(), _request())

    assert "lacks the read_customers scope" in refused.value.message
    assert shopify.discounts == []


async def test_a_missing_platform_setting_is_named_and_nothing_is_recorded(
    settings: Settings,
) -> None:
    settings = settings.model_copy(update={"discount_provider": "woocommerce"})
    prepare(settings)
    [activity] = [a for a in build_activities(settings) if a.__name__ == "create_discount"]

    with pytest.raises(PlatformUnauthorized, match="BOOMERANG_WOOCOMMERCE_URL"):
        await _env(NOW).run(activity, _request())

    assert _codes(settings) == []


ONE_CODE = definition_of(
    {"id": "code-1", "type": "action", "action": "create_discount", "params": {"percent": 15}},
)


async def test_a_journey_shows_why_the_platform_refused_its_code(
    time_skipping_env: WorkflowEnvironment, settings: Settings
) -> None:
    prepare(settings)
    seed_carts(settings)
    with running_shopify() as shopify:
        shopify.refuse_next_create({"field": ["basicCodeDiscount", "usageLimit"],
                                    "code": "GREATER_THAN",
                                    "message": "must be greater than 0"})  # fmt: skip
        update = {"shopify_shop": shopify.url,
                  "shopify_access_token": SecretStr(SHOPIFY_TOKEN)}  # fmt: skip
        shop_settings = _provided(settings, "shopify", update)
        async with build_worker(time_skipping_env.client, shop_settings):
            state = await time_skipping_env.client.execute_workflow(
                JourneyWorkflow.run,
                JourneyInput(automation_id="aut_1", automation_version=1, definition=ONE_CODE,
                             subject_id="cart_1", cart_id="cart_1", customer_id="cus_1"),
                id=f"journey:aut_1:cart_1:{uuid.uuid4()}",
                task_queue=shop_settings.task_queue,
            )  # fmt: skip

    assert state.results["code-1"] == {
        "status": "failed",
        "error": "shopify refused the code: basicCodeDiscount.usageLimit: must be greater than 0",
    }
    assert shopify.creates() == 1, "a refusal is not retried"
    assert state.outcome is not None
