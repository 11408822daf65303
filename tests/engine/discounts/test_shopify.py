"""The Shopify discount provider, through ShopifyAPI, against a loopback Admin API."""

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import SecretStr

from engine.discounts import CodeRequest, PlatformBusy, PlatformRefused, PlatformUnauthorized
from engine.discounts.shopify import ShopifyDiscounts
from engine.runtime.settings import Settings
from engine.service.shopify_admin import AdminApi, ShopifyUnavailable
from tests.shopify_admin_server import ACCESS_TOKEN, ShopifyAdminServer, running_shopify

EXPIRES = datetime(2030, 1, 22, 14, 30, tzinfo=UTC)
PAST = datetime(2020, 1, 1, tzinfo=UTC)
REQUEST = CodeRequest(code="SAVE15-ABCDEF", percent=15, expires_at=EXPIRES, usage_limit=1,
                      customer_email="jane@example.com",
                      idempotency_key="journey:aut_1:cart_1:code-vip")  # fmt: skip


@pytest.fixture
def shop() -> Iterator[ShopifyAdminServer]:
    with running_shopify() as server:
        yield server


@pytest.fixture
def provider(shop: ShopifyAdminServer) -> ShopifyDiscounts:
    return ShopifyDiscounts(AdminApi.at(shop.url, ACCESS_TOKEN, "2025-07"))


def test_creates_a_single_use_percentage_code_for_the_customer(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts
) -> None:
    jane = shop.add_customer("jane@example.com")

    node_id = provider.create(REQUEST)

    [discount] = shop.discounts
    assert node_id == discount["id"]
    assert node_id.startswith("gid://shopify/DiscountCodeNode/")
    assert discount["code"] == "SAVE15-ABCDEF"
    assert discount["customerGets"] == {"value": {"percentage": 0.15}, "items": {"all": True}}
    assert (discount["usageLimit"], discount["appliesOncePerCustomer"]) == (1, True)
    assert datetime.fromisoformat(discount["endsAt"]) == EXPIRES
    assert datetime.fromisoformat(discount["startsAt"]) <= datetime.now(UTC)
    assert discount["customerSelection"] == {"customers": {"add": [jane]}}
    assert discount["title"]
    assert shop.operations() == ["customers", "discountCodeBasicCreate"]
    assert {r.path for r in shop.requests} == {"/admin/api/2025-07/graphql.json"}
    assert shop.requests[0].body["variables"] == {"query": 'email:"jane@example.com"'}


@pytest.mark.parametrize("email", [None, "guest@example.com"])
def test_a_code_for_someone_shopify_does_not_know_is_open_to_all_customers(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts, email: str | None
) -> None:
    provider.create(replace(REQUEST, customer_email=email))

    [discount] = shop.discounts
    assert discount["customerSelection"] == {"all": True}
    assert discount["usageLimit"] == 1


def test_find_returns_the_id_of_an_existing_code_only(provider: ShopifyDiscounts) -> None:
    node_id = provider.create(replace(REQUEST, customer_email=None))

    assert provider.find("SAVE15-ABCDEF") == node_id
    assert provider.find("save15-abcdef") == node_id, "Shopify codes ignore case"
    assert provider.find("SAVE15-ZZZZZZ") is None


def test_a_code_taken_by_a_concurrent_attempt_is_that_attempts_code(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts
) -> None:
    first = provider.create(replace(REQUEST, customer_email=None))

    again = provider.create(replace(REQUEST, customer_email=None))

    assert again == first
    assert len(shop.discounts) == 1


def test_user_errors_are_refused_with_field_and_message(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts
) -> None:
    shop.refuse_next_create({"field": ["basicCodeDiscount", "endsAt"], "code": "INVALID",
                      "message": "Ends at needs to be after starts_at"})  # fmt: skip

    with pytest.raises(PlatformRefused) as refused:
        provider.create(replace(REQUEST, customer_email=None))

    assert str(refused.value) == "basicCodeDiscount.endsAt: Ends at needs to be after starts_at"
    assert shop.discounts == []


def test_an_input_shopify_validates_is_refused(provider: ShopifyDiscounts) -> None:
    with pytest.raises(PlatformRefused, match=r"basicCodeDiscount\.endsAt: End date must be"):
        provider.create(replace(REQUEST, customer_email=None, expires_at=PAST))


def test_a_wrong_token_names_the_setting_and_the_scope(shop: ShopifyAdminServer) -> None:
    provider = ShopifyDiscounts(AdminApi.at(shop.url, "shpat_wrong", "2025-07"))

    with pytest.raises(PlatformUnauthorized) as refused:
        provider.find("SAVE15-ABCDEF")

    assert "BOOMERANG_SHOPIFY_ACCESS_TOKEN" in str(refused.value)
    assert "write_discounts" in str(refused.value)


def test_a_403_names_the_missing_scope(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts
) -> None:
    shop.fail_next(403)

    with pytest.raises(PlatformUnauthorized, match="lacks the write_discounts scope"):
        provider.create(replace(REQUEST, customer_email=None))


@pytest.mark.parametrize(
    ("granted", "missing"), [({"read_customers"}, "write_discounts"),
                             ({"write_discounts"}, "read_customers")],
)  # fmt: skip
def test_access_denied_names_the_scope_the_token_lacks(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts, granted: set[str], missing: str
) -> None:
    shop.add_customer("jane@example.com")
    shop.scopes = granted

    with pytest.raises(PlatformUnauthorized) as refused:
        provider.create(REQUEST)

    assert f"lacks the {missing} scope" in str(refused.value)
    assert shop.discounts == []


@pytest.mark.parametrize(("header", "wait"), [("7", 7.0), ("2.5", 2.5), (None, 2.0)])
def test_a_429_waits_as_long_as_retry_after_says(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts, header: str | None, wait: float
) -> None:
    shop.fail_next(429, retry_after=header)

    with pytest.raises(PlatformBusy) as busy:
        provider.find("SAVE15-ABCDEF")

    assert busy.value.retry_after == wait


def test_a_throttled_query_waits_until_the_bucket_holds_its_cost(
    shop: ShopifyAdminServer, provider: ShopifyDiscounts
) -> None:
    shop.throttle_next(requested=250, available=50.0, rate=50.0)

    with pytest.raises(PlatformBusy) as busy:
        provider.find("SAVE15-ABCDEF")

    assert busy.value.retry_after == 4.0


def test_a_server_error_is_transient(shop: ShopifyAdminServer, provider: ShopifyDiscounts) -> None:
    shop.fail_next(503)

    with pytest.raises(ShopifyUnavailable, match="503"):
        provider.find("SAVE15-ABCDEF")


def test_every_call_has_a_timeout(shop: ShopifyAdminServer) -> None:
    provider = ShopifyDiscounts(AdminApi.at(shop.url, ACCESS_TOKEN, "2025-07", timeout=0.3))
    shop.stall_next(3)

    started = time.monotonic()
    with pytest.raises(TimeoutError):
        provider.find("SAVE15-ABCDEF")

    assert time.monotonic() - started < 2


def test_the_settings_must_name_the_shop_and_the_token() -> None:
    with pytest.raises(PlatformUnauthorized) as refused:
        ShopifyDiscounts.from_settings(Settings(discount_provider="shopify"))

    assert "BOOMERANG_SHOPIFY_SHOP and BOOMERANG_SHOPIFY_ACCESS_TOKEN" in str(refused.value)


def test_the_settings_configure_the_provider(shop: ShopifyAdminServer) -> None:
    settings = Settings(discount_provider="shopify", shopify_shop=shop.url,
                        shopify_access_token=SecretStr(ACCESS_TOKEN),
                        shopify_api_version="2024-10")  # fmt: skip

    provider = ShopifyDiscounts.from_settings(settings)

    assert provider.find("SAVE15-ABCDEF") is None
    assert shop.requests[0].path == "/admin/api/2024-10/graphql.json"


def test_a_shop_domain_becomes_its_admin_api_address() -> None:
    admin = AdminApi.at("boomerang-test.myshopify.com", ACCESS_TOKEN, "2025-07")

    assert admin.endpoint == "https://boomerang-test.myshopify.com/admin/api/2025-07/graphql.json"
    assert admin.headers["X-Shopify-Access-Token"] == ACCESS_TOKEN


def test_expiry_is_sent_in_utc(shop: ShopifyAdminServer, provider: ShopifyDiscounts) -> None:
    paris = datetime(2030, 1, 22, 16, 30, tzinfo=ZoneInfo("Europe/Paris"))

    provider.create(replace(REQUEST, customer_email=None, expires_at=paris))

    assert shop.discounts[0]["endsAt"] == "2030-01-22T15:30:00+00:00"
