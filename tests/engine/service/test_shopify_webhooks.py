"""`boomerang shopify connect`: webhook subscriptions through the GraphQL Admin API (the
ShopifyAPI library, pointed at a loopback server that answers as Shopify does)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from engine.platforms.shopify import PRIVACY_TOPICS, TOPICS
from engine.runtime.cli import main
from engine.runtime.settings import Settings
from engine.service.shopify_admin import ShopifyAdminError
from engine.service.shopify_webhooks import connect
from tests.shopify_admin_server import ACCESS_TOKEN as TOKEN
from tests.shopify_admin_server import ShopifyAdminServer, running_shopify

PUBLIC = "https://boomerang.example.com"
CALLBACK = f"{PUBLIC}/api/v1/integrations/shopify/webhooks"
ENUMS = ["CHECKOUTS_CREATE", "CHECKOUTS_UPDATE", "ORDERS_CREATE", "ORDERS_PAID",
         "ORDERS_CANCELLED", "ORDERS_FULFILLED", "FULFILLMENTS_CREATE", "CUSTOMERS_CREATE",
         "CUSTOMERS_UPDATE"]  # fmt: skip


@pytest.fixture
def shop() -> Iterator[ShopifyAdminServer]:
    with running_shopify() as server:
        yield server


def shop_settings(shop: ShopifyAdminServer, tmp_path: Path, token: str = TOKEN) -> Settings:
    return Settings(
        data_dir=tmp_path,
        public_url=PUBLIC,
        shopify_shop=shop.url,
        shopify_access_token=SecretStr(token),
        shopify_api_version="2025-07",
    )


def test_connect_subscribes_every_topic_we_map_to_our_webhook_address(
    shop: ShopifyAdminServer, tmp_path: Path
) -> None:
    connected = connect(shop_settings(shop, tmp_path))

    assert connected.registered == list(TOPICS)
    assert (connected.existing, connected.failed) == ([], [])
    assert [s["topic"] for s in shop.subscriptions] == ENUMS
    assert {s["endpoint"]["callbackUrl"] for s in shop.subscriptions} == {CALLBACK}
    assert shop.tokens() == {("/admin/api/2025-07/graphql.json", TOKEN)}


def test_connect_never_subscribes_the_privacy_topics(
    shop: ShopifyAdminServer, tmp_path: Path
) -> None:
    # They are the app configuration's (`compliance_topics`): the Admin API refuses them.
    connected = connect(shop_settings(shop, tmp_path), topics=(*TOPICS, *PRIVACY_TOPICS))

    assert connected.registered == list(TOPICS)
    assert not {"CUSTOMERS_DATA_REQUEST", "CUSTOMERS_REDACT", "SHOP_REDACT"} & {
        s["topic"] for s in shop.subscriptions
    }


def test_connect_again_leaves_what_is_there(shop: ShopifyAdminServer, tmp_path: Path) -> None:
    shop.subscribe("ORDERS_CREATE", CALLBACK)
    shop.subscribe("ORDERS_PAID", "https://another-app.example.com/hooks")  # not ours
    shop.subscribe("CHECKOUTS_CREATE", CALLBACK)

    first = connect(shop_settings(shop, tmp_path))
    again = connect(shop_settings(shop, tmp_path))

    assert first.existing == ["checkouts/create", "orders/create"]
    assert "orders/paid" in first.registered and len(first.registered) == len(TOPICS) - 2
    assert (again.registered, again.existing) == ([], list(TOPICS))
    ours = [s["topic"] for s in shop.subscriptions if s["endpoint"]["callbackUrl"] == CALLBACK]
    assert sorted(ours) == sorted(ENUMS)


def test_a_topic_shopify_refuses_is_reported_with_its_reason(
    shop: ShopifyAdminServer, tmp_path: Path
) -> None:
    shop.refused_topics["CUSTOMERS_UPDATE"] = [
        {"field": ["webhookSubscription", "callbackUrl"],
         "message": "Address for this topic has already been taken"},
    ]  # fmt: skip

    connected = connect(shop_settings(shop, tmp_path))

    assert connected.failed == [
        ("customers/update",
         "webhookSubscription.callbackUrl: Address for this topic has already been taken"),
    ]  # fmt: skip
    assert "customers/update" not in connected.registered


def test_a_refused_access_token_is_an_error_naming_the_setting(
    shop: ShopifyAdminServer, tmp_path: Path
) -> None:
    with pytest.raises(ShopifyAdminError, match="BOOMERANG_SHOPIFY_ACCESS_TOKEN") as refused:
        connect(shop_settings(shop, tmp_path, token="shpat_wrong"))

    assert "401" in str(refused.value) and "Invalid API key" in str(refused.value)
    assert shop.subscriptions == []


def test_missing_settings_are_named_before_any_call(tmp_path: Path) -> None:
    with pytest.raises(
        ShopifyAdminError, match="BOOMERANG_SHOPIFY_SHOP and BOOMERANG_SHOPIFY_ACCESS_TOKEN"
    ):
        connect(Settings(data_dir=tmp_path, public_url=PUBLIC))


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    code = exited.value.code
    assert isinstance(code, int)
    return code, capsys.readouterr().out


def test_the_command_prints_what_it_registered_and_what_was_there(
    shop: ShopifyAdminServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    for name, value in {"DATA_DIR": str(tmp_path), "PUBLIC_URL": PUBLIC, "SHOPIFY_SHOP": shop.url,
                        "SHOPIFY_ACCESS_TOKEN": TOKEN}.items():  # fmt: skip
        monkeypatch.setenv(f"BOOMERANG_{name}", value)
    shop.subscribe("ORDERS_CREATE", CALLBACK)

    code, out = run(["shopify", "connect"], capsys)

    assert code == 0, out
    assert CALLBACK in out
    assert "registered      checkouts/create" in out
    assert "already there   orders/create" in out
    assert "customers/data_request, customers/redact, shop/redact" in out
    assert "compliance_topics` in shopify.app.toml" in out


def test_the_command_explains_what_is_wrong(
    shop: ShopifyAdminServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("BOOMERANG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BOOMERANG_PUBLIC_URL", PUBLIC)

    code, out = run(["shopify", "connect"], capsys)
    assert code == 1
    assert "set BOOMERANG_SHOPIFY_SHOP and BOOMERANG_SHOPIFY_ACCESS_TOKEN" in out

    monkeypatch.setenv("BOOMERANG_SHOPIFY_SHOP", shop.url)
    monkeypatch.setenv("BOOMERANG_SHOPIFY_ACCESS_TOKEN", "shpat_wrong")
    code, out = run(["shopify", "connect"], capsys)
    assert code == 1
    assert "Shopify refused the access token (401)" in out

    monkeypatch.setenv("BOOMERANG_SHOPIFY_ACCESS_TOKEN", TOKEN)
    shop.refused_topics["ORDERS_PAID"] = [{"field": None, "message": "Access denied: read_orders"}]
    code, out = run(["shopify", "connect"], capsys)
    assert code == 1
    assert "failed          orders/paid: Access denied: read_orders" in out


def test_the_command_says_when_the_shop_cannot_be_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with running_shopify() as gone:
        address = gone.url  # nothing listens there once the block ends
    for name, value in {"DATA_DIR": str(tmp_path), "PUBLIC_URL": PUBLIC, "SHOPIFY_SHOP": address,
                        "SHOPIFY_ACCESS_TOKEN": TOKEN}.items():  # fmt: skip
        monkeypatch.setenv(f"BOOMERANG_{name}", value)

    code, out = run(["shopify", "connect"], capsys)

    assert code == 1
    assert f"cannot reach the shop's Admin API at {address}/admin/api/" in out
