"""Email templates: the variables a send provides, MJML compiled once, Jinja per send.

A template is MJML with Jinja placeholders, a text part and a subject. Saving one checks it
(engine.emails.template_checks); publishing stores the compiled HTML; a send then only runs Jinja
over it (`CompiledEmail`, cached per template version).

Templates are written by marketers, so Jinja runs in a sandbox with autoescape and
StrictUndefined: a template can neither reach Python internals nor silently print an empty
placeholder.
"""

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, StrictUndefined, TemplateSyntaxError
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mjml import mjml_to_html

from engine.runtime.settings import Settings
from engine.store.models import Cart, Customer, DiscountCode, Order

TEMPLATE_NAME = re.compile(r"^[a-z0-9][a-z0-9\-]{0,63}$")
MAX_SOURCE_LENGTH = 200_000  # characters of MJML or text; far above any real email
MAX_NUMBER = 100_000  # a bigger literal in a template is a way to build huge strings
MAX_LOOP_DEPTH = 3
MAX_RESULT_LENGTH = 100_000  # `'ab' * n` and the like may not build longer strings or lists


# -- the variables a template sees -------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A printable variable; `url` ones are always http(s) (or empty) when a send sees them."""

    url: bool = False


@dataclass(frozen=True)
class Group:
    """Variables under one name (`cart.total`); `optional` ones are None when absent."""

    fields: Mapping[str, "Shape"]
    optional: bool = False


@dataclass(frozen=True)
class ListOf:
    item: "Shape"


Shape = Value | Group | ListOf
TEXT, URL = Value(), Value(url=True)

ITEM = Group({"name": TEXT, "variant": TEXT, "quantity": TEXT, "price": TEXT, "image_url": URL})
VARIABLES: Mapping[str, Shape] = {
    "customer": Group({"first_name": TEXT, "email": TEXT}),
    "cart": Group(
        {
            "id": TEXT,
            "url": URL,
            "total": TEXT,
            "currency": TEXT,
            "item_count": TEXT,
            "items": ListOf(ITEM),
        }
    ),
    # None when the journey made no code / the journey has no order: test `{% if discount %}`.
    "discount": Group({"code": TEXT, "percent": TEXT, "expires_at": TEXT}, optional=True),
    "order": Group(
        {"id": TEXT, "total": TEXT, "currency": TEXT, "status": TEXT, "placed_at": TEXT},
        optional=True,
    ),
    "shop": Group({"name": TEXT, "url": URL}),
    "unsubscribe_url": URL,
}


# -- money and dates ----------------------------------------------------------------


@dataclass(frozen=True)
class _NumberStyle:
    group: str
    decimal: str
    symbol_first: bool
    symbol_space: bool  # a space between symbol and number even for `$`, `€`


# By the locale's language; close to CLDR, with plain spaces. Unknown languages read as `en`.
_STYLES = {
    "en": _NumberStyle(",", ".", symbol_first=True, symbol_space=False),
    "de": _NumberStyle(".", ",", symbol_first=False, symbol_space=True),
    "es": _NumberStyle(".", ",", symbol_first=False, symbol_space=True),
    "it": _NumberStyle(".", ",", symbol_first=False, symbol_space=True),
    "pt": _NumberStyle(".", ",", symbol_first=False, symbol_space=True),
    "da": _NumberStyle(".", ",", symbol_first=False, symbol_space=True),
    "fr": _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    "fi": _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    "sv": _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    "nb": _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    "pl": _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    "cs": _NumberStyle(" ", ",", symbol_first=False, symbol_space=True),
    "nl": _NumberStyle(".", ",", symbol_first=True, symbol_space=True),
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


# -- the context of one send ----------------------------------------------------------


@dataclass(frozen=True)
class Shop:
    name: str
    url: str = ""
    locale: str = "en"
    timezone: str = "UTC"

    @classmethod
    def from_settings(cls, settings: Settings) -> "Shop":
        return cls(
            name=settings.shop_name,
            url=http_url(settings.shop_url),
            locale=settings.shop_locale,
            timezone=settings.shop_timezone,
        )


def email_context(
    cart: Cart,
    customer: Customer | None,
    shop: Shop,
    discount: DiscountCode | None = None,
    *,
    order: Order | None = None,
    cart_url: str | None = None,
    unsubscribe_url: str = "",
) -> dict[str, Any]:
    """The variables a template sees (`VARIABLES`); read at send time, so the email shows the
    cart as it is. `cart_url` is the link to put in the email (the cart's own recovery URL
    when None); `discount` and `order` are None when the journey has none."""
    locale = shop.locale
    timezone = (customer.timezone if customer else None) or shop.timezone
    items = [
        {
            "name": item.get("name", ""),
            "variant": item.get("variant"),
            "quantity": item.get("quantity", 1),
            "price": format_money(item.get("price", 0), cart.currency, locale),
            "image_url": http_url(item.get("image_url")),
        }
        for item in cart.items
    ]
    return {
        # Guests have no customer row; the owner's notification still renders for them.
        "customer": {
            "first_name": customer.first_name if customer and customer.first_name else "",
            "email": customer.email if customer else "",
        },
        "cart": {
            "id": cart.id,
            "url": http_url(cart.recovery_url if cart_url is None else cart_url),
            "total": format_money(cart.total, cart.currency, locale),
            "currency": cart.currency,
            "item_count": sum(int(item["quantity"]) for item in items),
            "items": items,
        },
        "shop": {"name": shop.name, "url": shop.url},
        "discount": {
            "code": discount.code,
            "percent": discount.percent,
            "expires_at": format_date(discount.expires_at, locale, timezone),
        }
        if discount
        else None,
        "order": {
            "id": order.id,
            "total": format_money(order.total, order.currency, locale),
            "currency": order.currency,
            "status": order.status,
            "placed_at": format_date(order.placed_at, locale, timezone),
        }
        if order
        else None,
        "unsubscribe_url": http_url(unsubscribe_url),
    }


SAMPLE_ITEMS: list[dict[str, Any]] = [
    {"id": "prod_123", "name": "Premium Headphones", "price": "199.99", "quantity": 1,
     "image_url": "https://cdn.example.com/headphones.jpg", "variant": "Black"},
    {"id": "prod_456", "name": "Phone Case", "price": "29.99", "quantity": 2,
     "image_url": "https://cdn.example.com/case.jpg"},
    {"id": "prod_789", "name": "USB-C Cable", "price": "9.99", "quantity": 1,
     "image_url": "https://cdn.example.com/cable.jpg", "variant": "2 m"},
]  # fmt: skip
SAMPLE_MOMENT = datetime(2024, 1, 15, 14, 0, tzinfo=UTC)


def sample_context(
    currency: str = "USD", locale: str = "en", *, shop: Shop | None = None, extras: bool = True
) -> dict[str, Any]:
    """A 3-item cart (total 280.77) for previews and the render check at save; `extras` adds a
    discount code with its expiry and an order, else both are None (the other branch)."""
    shop = shop or Shop(name="Example Shop", url="https://shop.example.com")
    shop = Shop(shop.name, shop.url or "https://shop.example.com", locale, shop.timezone)
    cart = Cart(
        id="cart_sample",
        items=SAMPLE_ITEMS,
        total=Decimal("280.77"),
        currency=currency,
        recovery_url="https://shop.example.com/cart/recover/sample",
    )
    customer = Customer(id="cus_sample", email="jane@example.com", first_name="Jane")
    discount = DiscountCode(
        code="SAVE10-ABC123",
        percent=10,
        expires_at=datetime(2024, 1, 22, 14, 0, tzinfo=UTC),
        idempotency_key="sample",
    )
    order = Order(
        id="order_789", total=Decimal("280.77"), currency=currency, placed_at=SAMPLE_MOMENT
    )
    return email_context(
        cart,
        customer,
        shop,
        discount if extras else None,
        order=order if extras else None,
        unsubscribe_url="https://shop.example.com/unsubscribe/sample",
    )


# -- the sandbox ----------------------------------------------------------------------

_WIDE_FORMAT = re.compile(r"%[-+ #0]*\d{5,}|\{[^{}]*:[^{}]*\d{5,}[^{}]*\}")


class _Sandbox(ImmutableSandboxedEnvironment):
    """No globals (`range`, `lipsum`, `cycler`...), and operators that cannot build huge values."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(undefined=StrictUndefined, **options)
        self.globals.clear()
        for unsafe in ("safe", "attr", "format"):
            self.filters.pop(unsafe, None)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # The context's own objects (built by `namespace` from our data) hold only values:
        # their public attributes are their keys, so the sandbox's checks can be skipped.
        if type(obj) is SimpleNamespace and not attribute.startswith("_"):
            try:
                return obj.__dict__[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if isinstance(sequence, str | list | tuple) and isinstance(times, int):
                    if len(sequence) * times > MAX_RESULT_LENGTH:
                        raise SecurityError("the result of `*` would be too long")
        elif operator == "**":
            if isinstance(right, int | float) and abs(right) > 64:
                raise SecurityError("the exponent of `**` is too big")
        elif isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("the format width is too big")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_FORMAT.search(value.__self__):
            raise SecurityError("the format width is too big")
        return wrapped


_html_env = _Sandbox(autoescape=True)
# Text part and subject are plain text: nothing to escape for.
_text_env = _Sandbox(autoescape=False, trim_blocks=True, lstrip_blocks=True)


class TemplateNotFound(LookupError):
    pass


class RenderFailed(ValueError):
    """The template cannot be rendered with this context: retrying will not help."""

    def __init__(self, message: str, part: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.part, self.line = part, line


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def namespace(value: Any) -> Any:
    """Dicts as attribute objects, so `cart.items` is the items and not `dict.items`."""
    if isinstance(value, dict):
        return SimpleNamespace(**{key: namespace(item) for key, item in value.items()})
    if isinstance(value, list):
        return [namespace(item) for item in value]
    return value


def _template_line(error: BaseException) -> int | None:
    """The template line a render error happened on (Jinja rewrites the traceback to it)."""
    line, trace = None, error.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _render(template: JinjaTemplate, variables: Mapping[str, Any], part: str) -> str:
    try:
        return template.render(variables)
    except Exception as error:  # any template mistake: undefined names, bad types, the sandbox
        line = _template_line(error)
        where = f"{part}, line {line}" if line else part
        raise RenderFailed(f"{where}: {error}", part, line) from error


def _parse(env: Environment, source: str, part: str) -> JinjaTemplate:
    try:
        return env.from_string(source)
    except TemplateSyntaxError as error:
        raise RenderFailed(f"{part}, line {error.lineno}: {error}", part, error.lineno) from error


@lru_cache(maxsize=1024)
def _subject_template(source: str) -> JinjaTemplate:
    return _parse(_text_env, source, "subject")


@dataclass(frozen=True)
class CompiledEmail:
    """A template version ready to send: Jinja compiled over the compiled HTML, text, subject."""

    html: JinjaTemplate
    text: JinjaTemplate
    subject: JinjaTemplate

    @classmethod
    def build(cls, html: str, text: str, subject: str) -> "CompiledEmail":
        return cls(
            html=_parse(_html_env, html, "html"),
            text=_parse(_text_env, text, "text"),
            subject=_subject_template(subject),
        )

    def render(self, context: Mapping[str, Any], subject: str | None = None) -> RenderedEmail:
        """Subject, HTML and text; `subject` replaces the template's own. Raises RenderFailed."""
        variables = {key: namespace(value) for key, value in context.items()}
        subject_template = self.subject if subject is None else _subject_template(subject)
        rendered_subject = _render(subject_template, variables, "subject")
        return RenderedEmail(
            subject=" ".join(rendered_subject.split()),  # one header line, whatever the source
            html=_render(self.html, variables, "html"),
            text=_render(self.text, variables, "text"),
        )


class _VersionCache:
    """Compiled versions by (template id, version): published versions never change."""

    def __init__(self, size: int = 512) -> None:
        self._entries: OrderedDict[tuple[str, int], CompiledEmail] = OrderedDict()
        self._size, self._lock = size, threading.Lock()

    def get(self, key: tuple[str, int], load: Callable[[], tuple[str, str, str]]) -> CompiledEmail:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found
        compiled = CompiledEmail.build(*load())  # outside the lock: other sends go on
        with self._lock:
            self._entries[key] = compiled
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


compiled_versions = _VersionCache()


# -- MJML -------------------------------------------------------------------------------


class MjmlFailed(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line  # in the MJML as written, when the failure can be placed


def _first_line_of_tag(source: str, tag: str) -> int | None:
    """The line where `<tag` first opens (the compiler names the tag, not its place)."""
    found = re.search(rf"<{re.escape(tag)}(?=[\s/>])", source)
    return source.count("\n", 0, found.start()) + 1 if found else None


@lru_cache(maxsize=256)
def _compile_mjml(source_digest: str, source: str) -> str:  # noqa: ARG001 - the cache key
    try:
        result = mjml_to_html(source)
    except KeyError as error:
        tag = str(error.args[0]) if error.args else ""
        raise MjmlFailed(f"unknown MJML tag {error}", _first_line_of_tag(source, tag)) from error
    except AssertionError as error:
        raise MjmlFailed(
            "this MJML is not supported by the compiler (an mj-font overriding a built-in font?)"
        ) from error
    except Exception as error:  # the compiler's own failures on malformed input
        raise MjmlFailed(f"the MJML does not compile: {type(error).__name__}: {error}") from error
    if result.errors:
        raise MjmlFailed(f"MJML errors: {result.errors}")
    return str(result.html)


def compile_mjml(source: str) -> str:
    """MJML to HTML with the Jinja placeholders intact; the same source compiles once."""
    return _compile_mjml(hashlib.sha256(source.encode()).hexdigest(), source)
