"""The shop's currency and the VIP threshold as the environment sets them: ISO 4217 codes,
one amount in the shop's currency or one per currency; anything else refused at start,
naming the setting."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from engine.runtime.settings import Settings


def test_the_shop_currency_is_usd_unless_set_and_a_code_iso_knows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().shop_currency == "USD"
    monkeypatch.setenv("BOOMERANG_SHOP_CURRENCY", "krw")
    assert Settings().shop_currency == "KRW"
    monkeypatch.setenv("BOOMERANG_SHOP_CURRENCY", "EURO")
    with pytest.raises(ValidationError, match="shop_currency"):
        Settings()


@pytest.mark.parametrize(
    ("text", "threshold"),
    [
        ("1000", Decimal(1000)),
        ("EUR:1000,KRW:1500000", {"EUR": Decimal(1000), "KRW": Decimal(1500000)}),
        (" usd:250.5 ", {"USD": Decimal("250.5")}),
    ],
)
def test_the_vip_threshold_is_one_amount_or_one_per_currency(
    text: str, threshold: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOOMERANG_VIP_LIFETIME_SPEND", text)

    assert Settings().vip_lifetime_spend == threshold


@pytest.mark.parametrize("text", ["-1", "EUR:-5", "XYZ:100", "EUR=100", "a lot"])
def test_a_vip_threshold_that_is_not_one_is_refused(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOOMERANG_VIP_LIFETIME_SPEND", text)

    with pytest.raises(ValidationError, match="vip_lifetime_spend"):
        Settings()
