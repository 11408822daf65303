"""Money, dates and links as an email prints them, in the shop's locale.

Pure: the send context (engine.emails.email_context) formats its values with these, and the
pages behind the links in emails print money the same way.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class _NumberStyle:
    group: str
    decimal: str
    symbol_first: bool
    symbol_space: bool  # a space between symbol and number even for `$`, `€`


# By the locale's language; close to CLDR, with plain spaces. Unknown languages read as `en`.
_STYLES = {
    "en": _NumberStyle(",", ".", symbol_first=True, symbol_space=False),
    "nl": _NumberStyle(".", ",", symbol_first=True, symbol_space=True),
    # `1.280,77 €`
    **dict.fromkeys(
        ("de", "es", "it", "pt", "da"),
        _NumberStyle(".", ",", symbol_first=False, symbol_space=True),
    ),
    # `1 280,77 €`
    **dict.fromkeys(
        ("fr", "fi", "sv", "nb", "pl", "cs"),
        _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    ),
}
CURRENCY_SYMBOLS = {
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$",
    "CHF": "CHF", "SEK": "kr", "NOK": "kr", "DKK": "kr", "PLN": "zł", "CZK": "Kč",
    "INR": "₹", "BRL": "R$", "MXN": "MX$", "CNY": "CN¥", "KRW": "₩",
}  # fmt: skip
_NO_CENTS = {"JPY", "KRW", "CLP", "ISK", "VND", "HUF"}
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
}


def _language(locale: str) -> str:
    return locale.replace("_", "-").split("-")[0].lower()


def format_money(amount: Decimal | float | int, currency: str, locale: str = "en") -> str:
    """`$1,280.77` in `en`, `1.280,77 €` in `de`, `¥1,281` (no cents); code if no symbol."""
    currency = currency.upper()
    style = _STYLES.get(_language(locale), _STYLES["en"])
    exponent = Decimal(1) if currency in _NO_CENTS else Decimal("0.01")
    value = Decimal(str(amount)).quantize(exponent, rounding=ROUND_HALF_UP)
    whole, _, cents = f"{abs(value):,f}".partition(".")
    number = whole.replace(",", style.group) + (f"{style.decimal}{cents}" if cents else "")
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    # Letters next to digits read badly: `CHF 5.00`, not `CHF5.00`.
    space = " " if style.symbol_space or symbol[-1].isalpha() else ""
    text = f"{symbol}{space}{number}" if style.symbol_first else f"{number} {symbol}"
    return f"-{text}" if value < 0 else text


def format_date(moment: datetime, locale: str = "en", timezone: str = "UTC") -> str:
    """`22 January 2024, 14:30 UTC` (`22. Januar 2024, 15:30 CET` in `de`), in the zone given."""
    local = moment.astimezone(ZoneInfo(timezone))
    language = _language(locale)
    month = _MONTHS.get(language, _MONTHS["en"]).split()[local.month - 1]
    day = f"{local.day}." if language == "de" else str(local.day)
    return f"{day} {month} {local.year}, {local:%H:%M} {local.tzname()}"


def http_url(value: str | None) -> str:
    """The URL if it is http(s), else empty: links in emails never carry `javascript:`."""
    if value and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return ""
