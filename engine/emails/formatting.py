"""Money, dates and links as an email prints them, in a customer's (or the shop's) locale.

Pure, and CLDR's through Babel: any locale CLDR knows formats as its people expect
(`280,77 zł`, `₩281`, `$280.77`), with the currency's own number of decimals. The send
context (engine.emails.email_context) formats its values with these, and the pages behind
the links in emails print money the same way.
"""

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as cldr_date
from babel.dates import format_time as cldr_time
from babel.dates import get_datetime_format
from babel.numbers import format_currency, format_decimal, get_currency_precision

FALLBACK = "en"


@lru_cache(maxsize=256)
def cldr_locale(tag: str) -> Locale:
    """The CLDR locale of a BCP 47 tag (`ko-KR`, `pt_BR`); its language when CLDR does not
    know the region; English when it knows neither (a shop's typo never stops a send)."""
    parts = tag.replace("_", "-").split("-")
    for candidate in ("_".join(parts), parts[0]):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(FALLBACK)


def is_known_locale(tag: str) -> bool:
    """Whether CLDR knows the tag's language (settings refuse the others)."""
    try:
        Locale.parse(tag.replace("-", "_").split("_")[0])
    except (UnknownLocaleError, ValueError):
        return False
    return True


def format_money(amount: Decimal | float | int, currency: str, locale: str = FALLBACK) -> str:
    """`$280.77` in `en`, `280,77 €` in `de`, `₩281` in `ko` (CLDR's spaces are no-break)."""
    currency = currency.upper()
    # Half up, as shops round (CLDR's own rounding is half-even): ₩280.5 prints ₩281.
    exponent = Decimal(1).scaleb(-get_currency_precision(currency))
    value = Decimal(str(amount)).quantize(exponent, rounding=ROUND_HALF_UP)
    return _money_text(value, currency, locale)


# CLDR takes ~35 µs a price, ten times our old tables; a simulation prints tens of thousands,
# mostly the same few (a shop's products, a cart's total in each of its emails).
@lru_cache(maxsize=8192)
def _money_text(value: Decimal, currency: str, locale: str) -> str:
    return format_currency(value, currency, locale=cldr_locale(locale))


def format_number(value: Decimal | float | int | str, locale: str = FALLBACK) -> str:
    """`1,280.5` in `en`, `1.280,5` in `de`; text that is not a number raises ArithmeticError."""
    return format_decimal(Decimal(str(value)), locale=cldr_locale(locale))


def format_date(moment: datetime, locale: str = FALLBACK, timezone: str = "UTC") -> str:
    """The moment in the zone given, as the locale writes a long date and a short time, with
    the zone's abbreviation: `January 22, 2024, 2:30 PM UTC`, `22. Januar 2024, 15:30 CET`."""
    local = moment.astimezone(ZoneInfo(timezone))
    day, clock = local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None)
    return f"{_date_and_time(day, clock, locale)} {local.tzname()}"


@lru_cache(maxsize=4096)  # by day and minute: a simulation prints many expiries alike
def _date_and_time(day: date, clock: time, locale: str) -> str:
    cldr = cldr_locale(locale)
    # CLDR joins date {1} and time {0} its own way; quoted literals lose their quotes.
    joined = str(get_datetime_format("long", locale=cldr)).replace("'", "")
    return joined.replace("{1}", cldr_date(day, "long", locale=cldr)).replace(
        "{0}", cldr_time(clock, "short", locale=cldr)
    )


def http_url(value: str | None) -> str:
    """The URL if it is http(s), else empty: links in emails never carry `javascript:`."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return ""
