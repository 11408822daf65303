"""The WooCommerce discount provider, through the `woocommerce` library, against a loopback
WooCommerce REST API."""

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
from pydantic import SecretStr

from engine.discounts import CodeRequest, PlatformBusy, PlatformRefused, PlatformUnauthorized
from engine.discounts.woocommerce import WooCommerceDiscounts, WooCommerceUnavailable
from engine.runtime.settings import Settings
from tests.woocommerce_server import (
    CONSUMER_KEY,
    CONSUMER_SECRET,
    WooCommerceServer,
    running_woocommerce,
)

EXPIRES = datetime(2030, 1, 22, 14, 30, 12, 345678, tzinfo=UTC)
REQUEST = CodeRequest(code="SAVE15-ABCDEF", percent=15, expires_at=EXPIRES, usage_limit=1,
                      customer_email="jane@example.com",
                      idempotency_key="journey:aut_1:cart_1:code-vip")  # fmt: skip


@pytest.fixture
def shop() -> Iterator[WooCommerceServer]:
    with running_woocommerce() as server:
        yield server


@pytest.fixture
def provider(shop: WooCommerceServer) -> WooCommerceDiscounts:
    return WooCommerceDiscounts(shop.url, CONSUMER_KEY, CONSUMER_SECRET)


def test_creates_a_single_use_percent_coupon_for_the_customer(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    coupon_id = provider.create(REQUEST)

    [coupon] = shop.coupons
    assert coupon_id == str(coupon["id"])
    assert (coupon["code"], coupon["discount_type"], coupon["amount"]) == (
        "save15-abcdef", "percent", "15.00"
    )  # fmt: skip
    assert (coupon["usage_limit"], coupon["usage_limit_per_user"]) == (1, 1)
    assert coupon["individual_use"] is True
    assert coupon["email_restrictions"] == ["jane@example.com"]
    assert coupon["date_expires"] == "2030-01-22T14:30:12+00:00"
    [post] = shop.requests
    assert (post.method, post.path) == ("POST", "/wp-json/wc/v3/coupons")
    assert post.query["oauth_consumer_key"] == CONSUMER_KEY, "OAuth 1.0a over plain http"
    assert "oauth_signature" in post.query


def test_a_guest_coupon_has_no_email_restriction(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    provider.create(replace(REQUEST, customer_email=None))

    assert shop.coupons[0]["email_restrictions"] == []


def test_the_expiry_keeps_its_moment_in_any_time_zone(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    paris = datetime(2030, 1, 22, 16, 30, tzinfo=ZoneInfo("Europe/Paris"))

    provider.create(replace(REQUEST, expires_at=paris))

    assert shop.coupons[0]["date_expires"] == "2030-01-22T15:30:00+00:00"


def test_find_returns_the_id_of_an_existing_code_only(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    coupon_id = provider.create(REQUEST)

    assert provider.find("SAVE15-ABCDEF") == coupon_id
    assert provider.find("SAVE15-ZZZZZZ") is None
    assert [r.query.get("code") for r in shop.requests if r.method == "GET"] == [
        "SAVE15-ABCDEF", "SAVE15-ZZZZZZ"
    ]  # fmt: skip


def test_a_code_a_concurrent_attempt_created_is_looked_up_not_refused(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    first = provider.create(REQUEST)

    again = provider.create(REQUEST)

    assert again == first
    assert len(shop.coupons) == 1
    assert shop.calls() == ["POST", "POST", "GET"]


def test_a_400_is_refused_with_woocommerces_code_and_message(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    with pytest.raises(PlatformRefused) as refused:
        provider.create(replace(REQUEST, customer_email="jane@localhost"))

    assert str(refused.value) == "coupon_invalid_email_address: Invalid email address restriction"
    assert shop.coupons == []


def test_the_customers_email_never_reaches_the_message(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    shop.fail_next(400, code="rest_invalid_param",
                   message="Invalid parameter(s): jane@example.com")  # fmt: skip

    with pytest.raises(PlatformRefused) as refused:
        provider.create(REQUEST)

    assert "jane@example.com" not in str(refused.value)
    assert "<the customer's email>" in str(refused.value)


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_key_asks_for_read_write_permission(
    shop: WooCommerceServer, provider: WooCommerceDiscounts, status: int
) -> None:
    shop.fail_next(status, code="woocommerce_rest_cannot_create",
                   message="Sorry, you are not allowed to create resources.")  # fmt: skip

    with pytest.raises(PlatformUnauthorized) as refused:
        provider.create(REQUEST)

    assert "needs Read/Write permission" in str(refused.value)
    assert "woocommerce_rest_cannot_create" in str(refused.value)


def test_a_read_only_key_cannot_create(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    shop.permissions = "read"

    with pytest.raises(PlatformUnauthorized, match="does not have write permissions"):
        provider.create(REQUEST)


def test_a_wrong_key_is_unauthorized(shop: WooCommerceServer) -> None:
    provider = WooCommerceDiscounts(shop.url, "ck_wrong", CONSUMER_SECRET)

    with pytest.raises(PlatformUnauthorized, match="Consumer key is invalid"):
        provider.find("SAVE15-ABCDEF")


@pytest.mark.parametrize(("header", "wait"), [("30", 30.0), ("soon", 5.0), (None, 5.0)])
def test_a_429_waits_as_long_as_retry_after_says(
    shop: WooCommerceServer, provider: WooCommerceDiscounts, header: str | None, wait: float
) -> None:
    shop.fail_next(429, retry_after=header)

    with pytest.raises(PlatformBusy) as busy:
        provider.create(REQUEST)

    assert busy.value.retry_after == wait


def test_server_errors_and_lost_answers_are_transient(
    shop: WooCommerceServer, provider: WooCommerceDiscounts
) -> None:
    shop.fail_next(502)
    with pytest.raises(WooCommerceUnavailable, match="502"):
        provider.create(REQUEST)

    shop.drop_next_create()
    with pytest.raises(requests.ConnectionError):
        provider.create(REQUEST)
    assert len(shop.coupons) == 1, "the dropped answer's coupon exists"


def test_no_rest_api_at_the_address_is_named(shop: WooCommerceServer) -> None:
    provider = WooCommerceDiscounts(shop.url + "/blog", CONSUMER_KEY, CONSUMER_SECRET)

    with pytest.raises(WooCommerceUnavailable, match="BOOMERANG_WOOCOMMERCE_URL"):
        provider.find("SAVE15-ABCDEF")


def test_every_call_has_a_timeout(shop: WooCommerceServer) -> None:
    provider = WooCommerceDiscounts(shop.url, CONSUMER_KEY, CONSUMER_SECRET, timeout=0.3)
    shop.stall_next(3)

    started = time.monotonic()
    with pytest.raises(requests.Timeout):
        provider.find("SAVE15-ABCDEF")

    assert time.monotonic() - started < 2


def test_the_settings_must_name_the_site_and_the_key() -> None:
    settings = Settings(discount_provider="woocommerce", woocommerce_url="https://shop.example")

    with pytest.raises(PlatformUnauthorized) as refused:
        WooCommerceDiscounts.from_settings(settings)

    assert str(refused.value).startswith(
        "BOOMERANG_DISCOUNT_PROVIDER=woocommerce needs BOOMERANG_WOOCOMMERCE_CONSUMER_KEY, "
        "BOOMERANG_WOOCOMMERCE_CONSUMER_SECRET"
    )


def test_the_settings_configure_the_provider(shop: WooCommerceServer) -> None:
    settings = Settings(discount_provider="woocommerce", woocommerce_url=shop.url,
                        woocommerce_consumer_key=SecretStr(CONSUMER_KEY),
                        woocommerce_consumer_secret=SecretStr(CONSUMER_SECRET))  # fmt: skip

    assert WooCommerceDiscounts.from_settings(settings).find("SAVE15-ABCDEF") is None
