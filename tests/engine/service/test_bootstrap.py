"""Starting on a store whose recent carts are in currencies a plain amount cannot judge says
so in the log: an upgraded euro shop that never set BOOMERANG_SHOP_CURRENCY would otherwise
find its `cart.total gte 25` rules silently matching nothing."""

import logging
from decimal import Decimal

import pytest

from engine.runtime.settings import Settings
from engine.service import shop_settings
from engine.service.bootstrap import currency_warning, prepare
from engine.service.shop_settings import ShopSettingsChange
from engine.store.db import session_scope
from engine.store.models import Cart


def _carts(settings: Settings, *currencies: str) -> None:
    with session_scope(settings.resolved_database_url) as session:
        for n, currency in enumerate(currencies):
            session.add(Cart(id=f"cart-{n}", total=Decimal(30), currency=currency))


def test_a_start_warns_of_carts_no_plain_amount_can_judge(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    prepare(settings)
    _carts(settings, "USD", "EUR", "KRW")

    with caplog.at_level(logging.WARNING, logger="engine.service.bootstrap"):
        prepare(settings)

    [warning] = [r.getMessage() for r in caplog.records if r.name == "engine.service.bootstrap"]
    assert warning.startswith("recent carts are in EUR, KRW, but BOOMERANG_SHOP_CURRENCY is USD")


def test_no_warning_once_the_shop_s_currency_or_rates_cover_its_carts(settings: Settings) -> None:
    prepare(settings)
    _carts(settings, "EUR", "KRW")
    with session_scope(settings.resolved_database_url) as session:
        assert currency_warning(session, settings) is not None
        in_euros = settings.model_copy(update={"shop_currency": "EUR"})
        assert "KRW" in (currency_warning(session, in_euros) or "")

        change = {"currency_rates": {"rates": {"KRW": "0.00065"}}}
        shop_settings.update(session, ShopSettingsChange.model_validate(change))
        assert currency_warning(session, in_euros) is None
