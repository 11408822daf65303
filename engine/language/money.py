"""Money in conditions: amounts are compared in their own currency, never mixed silently.

Pure (conditions run inside workflows). A money field's amount has a currency: the cart's
(`cart.currency`) for `cart.total` and `cart.subtotal`, the order's for `order.total`;
`customer.lifetime_spend` is kept per currency (`{"EUR": 80.0, "USD": 30.0}`). A rule's
threshold is a plain number, meaning the shop's currency (`shop.currency` in the facts), or
one number per currency (`{"USD": 25, "EUR": 25, "KRW": 35000}`).

An amount in currency C is compared with the threshold's C; else, when C is the shop's
currency, with the plain number; else it is converted into the shop's currency with the
shop's rates (`shop.rates`: what one unit of C is worth in the shop's currency, set by the
shop and put in the facts at enrolment) and compared with the shop-currency threshold.
When none of these can be done the comparison cannot be made, and the leaf does not hold.

Lifetime spend in one currency is one amount. In several currencies: with a rate for each,
their converted sum; without, `gt`/`gte` hold when the spend in some currency alone meets
that currency's threshold (the whole is at least that part), `lt`/`lte` when every currency
has a threshold and each spend is below it; `eq`/`ne` cannot be made (no sum exists).
Nothing spent yet is zero, in whichever currency the threshold names.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

# The money fields and where each amount's currency is (None: kept per currency).
MONEY_FIELDS: dict[str, str | None] = {
    "cart.total": "cart.currency",
    "cart.subtotal": "cart.currency",
    "order.total": "order.currency",
    "customer.lifetime_spend": None,
}
COMPARISONS = ("eq", "ne", "gt", "gte", "lt", "lte")

# ISO 4217 codes in use today (CLDR's tender currencies without an end date; Babel cannot be
# imported here, tests/engine/language/test_money.py keeps this list equal to CLDR's).
CURRENCY_CODES: frozenset[str] = frozenset(
    """AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN
    BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL
    GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF
    KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
    MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD
    SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()
)

Threshold = Decimal | dict[str, Decimal]


def currency_code(text: str) -> str:
    """An ISO 4217 code in use (`eur` → `EUR`); ValueError naming the text otherwise."""
    code = text.strip().upper()
    if code not in CURRENCY_CODES:
        raise ValueError(f"{text!r} is not an ISO 4217 currency code such as USD, EUR or KRW")
    return code


@dataclass(frozen=True)
class ShopMoney:
    """The shop's currency and, when the shop set them, its rates (what one unit of each
    currency is worth in the shop's currency) with the day they were set."""

    currency: str
    rates: dict[str, Decimal] = field(default_factory=dict)
    set_on: date | None = None

    def facts(self) -> dict[str, Any]:
        """For the enrolment context (`shop.currency`, `shop.rates`): not personal."""
        described: dict[str, Any] = {"currency": self.currency}
        if self.rates:
            described["rates"] = {code: str(rate) for code, rate in sorted(self.rates.items())}
        return described

    def rate(self, currency: str) -> Decimal | None:
        return Decimal(1) if currency == self.currency else self.rates.get(currency)

    def convert(self, amounts: Mapping[str, Decimal]) -> Decimal | None:
        """The amounts' sum in the shop's currency; None when a currency has no rate."""
        total = Decimal(0)
        for currency, amount in amounts.items():
            if (rate := self.rate(currency)) is None:
                return None
            total += amount * rate
        return total


def parse_threshold(text: str) -> Threshold:
    """`1000` (the shop's currency) or `EUR:1000,KRW:1500000` (per currency); ValueError
    naming what is wrong."""
    text = text.strip()
    if ":" not in text:
        return _non_negative(text)
    thresholds: dict[str, Decimal] = {}
    for part in text.split(","):
        code, colon, amount = part.partition(":")
        if not colon:
            raise ValueError(f"{part.strip()!r} is not CURRENCY:AMOUNT (such as EUR:1000)")
        thresholds[currency_code(code)] = _non_negative(amount)
    return thresholds


def _non_negative(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text.strip()!r} is not an amount") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{text.strip()!r} is not an amount of zero or more")
    return value


def shop_of(facts: Mapping[str, Any]) -> ShopMoney | None:
    """The shop's money as the facts carry it; None for a journey that started before they
    did (its rules keep comparing bare numbers, so its replay decides as it did)."""
    shop = facts.get("shop")
    if not isinstance(shop, Mapping) or not isinstance(shop.get("currency"), str):
        return None
    rates: dict[str, Decimal] = {}
    raw = shop.get("rates")
    if isinstance(raw, Mapping):
        for code, rate in raw.items():
            value = _decimal(rate, text=True)
            if isinstance(code, str) and value is not None and value > 0:
                rates[code] = value
    return ShopMoney(shop["currency"], rates)


def compare(actual: Any, currency: Any, op: str, expected: Any, shop: ShopMoney) -> bool:
    """Whether a money field's value (`actual`: one amount in `currency`, or amounts per
    currency when `currency` is None) stands in `op` to the threshold `expected`."""
    if isinstance(actual, Mapping):
        spend = _amounts(actual)
        if len(spend) != len(actual):
            return False  # not amounts per currency
    elif isinstance(currency, str) and (amount := _decimal(actual)) is not None:
        spend = {currency.upper(): amount}
    else:
        return False
    if not spend:  # nothing spent yet: zero in any currency the threshold names
        codes = [c for c in expected if isinstance(c, str)] if isinstance(expected, Mapping) else []
        spend = dict.fromkeys(codes or [shop.currency], Decimal(0))
    return bool(_compare_amounts(spend, op, expected, shop))


def _compare_amounts(
    spend: dict[str, Decimal], op: str, expected: Any, shop: ShopMoney
) -> bool | None:
    if len(spend) == 1:
        [(currency, amount)] = spend.items()
        return _one(amount, currency, op, expected, shop)
    in_shop_currency = _threshold_in(expected, shop.currency, shop)
    total = shop.convert(spend)
    if in_shop_currency is not None and total is not None:
        return _holds(total, op, in_shop_currency)
    verdicts = [_one(amount, currency, op, expected, shop) for currency, amount in spend.items()]
    if op in ("gt", "gte"):
        return any(verdicts)
    if op in ("lt", "lte"):
        return all(verdicts)
    return None  # eq, ne: several currencies and no rates make no one amount


def _one(amount: Decimal, currency: str, op: str, expected: Any, shop: ShopMoney) -> bool | None:
    """One amount against the threshold: in its own currency, else converted; None when
    neither can be done."""
    if (threshold := _threshold_in(expected, currency, shop)) is not None:
        return _holds(amount, op, threshold)
    rate = shop.rate(currency)
    in_shop_currency = _threshold_in(expected, shop.currency, shop)
    if rate is None or in_shop_currency is None:
        return None
    return _holds(amount * rate, op, in_shop_currency)


def _threshold_in(expected: Any, currency: str, shop: ShopMoney) -> Decimal | None:
    if isinstance(expected, Mapping):
        return _decimal(expected.get(currency))
    return _decimal(expected) if currency == shop.currency else None


def _holds(amount: Decimal, op: str, threshold: Decimal) -> bool | None:
    match op:
        case "eq":
            return amount == threshold
        case "ne":
            return amount != threshold
        case "gt":
            return amount > threshold
        case "gte":
            return amount >= threshold
        case "lt":
            return amount < threshold
        case "lte":
            return amount <= threshold
    return None


def _amounts(values: Mapping[Any, Any]) -> dict[str, Decimal]:
    return {
        code.upper(): amount
        for code, value in values.items()
        if isinstance(code, str) and (amount := _decimal(value)) is not None
    }


def _decimal(value: Any, *, text: bool = False) -> Decimal | None:
    """A number (not a flag; text only when `text`: rates travel as text) as a Decimal; None
    otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        return None
    if isinstance(value, str) and not text:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
