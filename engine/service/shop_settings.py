"""Shop settings: what an admin changes at run time (`PUT /api/v1/settings`) over the
environment's values (engine/settings.py).

One database row (`ShopSettings`, id 1); a setting left unset there falls back to the
environment. The engine reads the effective values where it uses them, each time (a primary-key
read, well under a millisecond: the send action once per email, abandonment detection once a
minute), so a change applies to the next email or the next detection run, in every process,
with no restart and no cache to go stale:

- `send_email` / `notify_owner` (engine/activities/send_email.py): the sender and the frequency
  cap; template test sends (engine/service/template_test_sends.py): the sender;
- abandonment detection (engine/service/abandonment.py): the inactivity threshold;
- enrolment (engine/service/ingest.py) and moving journeys to a new version
  (engine/service/automations.py): the default quiet hours, written into the journey's
  definition snapshot when the automation sets none. A journey keeps the quiet hours it
  started with (like the rest of its definition), so changing the default never changes what
  a running workflow decides on replay;
- results (engine/service/analytics.py): the two attribution windows, on every request;
- the retention purge (engine/service/retention.py): the three retention periods, each run;
- enrolment (engine/service/lookups.py, once per ingest call), simulations (once per run) and
  results (every request): the currency rates. A journey keeps the rates it started with
  (they travel in its facts as `shop.rates`), so its conditions decide on replay as they did.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from engine.language.definition import Automation, PositiveDuration, QuietHours
from engine.language.money import ShopMoney, currency_code
from engine.language.problems import Problem
from engine.runtime.settings import Settings, parse_frequency_cap, parse_origin
from engine.service.errors import InvalidInput
from engine.store.models import ShopSettings
from engine.store.types import utcnow

ROW_ID = 1
SettingName = Literal[
    "sender_email",
    "sender_name",
    "frequency_cap",
    "inactivity_threshold",
    "default_quiet_hours",
    "require_marketing_consent",
    "storefront_origins",
    "attribution_click_days",
    "attribution_delivery_days",
    "retention_abandoned_carts",
    "retention_events",
    "retention_messages",
    "currency_rates",
]
SETTING_NAMES: tuple[SettingName, ...] = get_args(SettingName)
RETENTION: tuple[SettingName, ...] = (
    "retention_abandoned_carts",
    "retention_events",
    "retention_messages",
)

# As the environment's BOOMERANG_SENDER_NAME allows (70 characters), without control characters
# (it goes into an email header).
SenderName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=70, pattern=r"^[^\x00-\x1f\x7f]+$"
    ),
]


CurrencyCode = Annotated[str, AfterValidator(currency_code)]
Rate = Annotated[Decimal, Field(gt=0, max_digits=24, decimal_places=12, allow_inf_nan=False)]


class CurrencyRatesChange(BaseModel):
    """The shop's rates; the day they are saved is stamped on them."""

    model_config = ConfigDict(extra="forbid")

    rates: dict[CurrencyCode, Rate] = Field(
        min_length=1,
        max_length=200,
        description="What one unit of each currency (ISO 4217) is worth in the shop's "
        'currency, e.g. `{"EUR": "1.08", "KRW": "0.00072"}` in a USD shop.',
    )


class CurrencyRates(BaseModel):
    rates: dict[str, Decimal] = Field(
        description="What one unit of each currency is worth in the shop's currency"
    )
    set_on: date = Field(description="The day the shop set these rates")


class ShopSettingsChange(BaseModel):
    """A partial update: the fields given are changed, `null` returns one to the environment's
    value. Each is validated as strictly as its environment variable."""

    model_config = ConfigDict(extra="forbid")

    sender_email: EmailStr | None = Field(None, description="From address of the emails.")
    sender_name: SenderName | None = Field(None, description="From name of the emails.")
    frequency_cap: str | None = Field(
        None,
        max_length=40,
        description="At most N journey emails per customer per window, e.g. `1/12h`; "
        "`` (empty): no cap.",
    )
    inactivity_threshold: PositiveDuration | None = Field(
        None, description="Idle time after which an active cart is abandoned, e.g. `45m`."
    )
    default_quiet_hours: QuietHours | None = Field(
        None, description="Quiet hours of the automations that set none."
    )
    require_marketing_consent: bool | None = Field(
        None, description="Only carts whose customer accepts marketing enter automations."
    )
    storefront_origins: list[str] | None = Field(
        None,
        max_length=50,
        description="Origins the storefront snippet may post from (`https://shop.example.com`).",
    )

    attribution_click_days: int | None = Field(
        None,
        ge=0,
        le=365,
        description="Results: a recovery belongs to the last email clicked this many days "
        "before it.",
    )
    attribution_delivery_days: int | None = Field(
        None,
        ge=0,
        le=365,
        description="Results: else to the last email delivered (or sent) this many days "
        "before it, else to none.",
    )

    retention_abandoned_carts: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Days a cart that was never recovered is kept after its last activity, "
        "with its items; then only its counts remain in the results.",
    )
    retention_events: int | None = Field(
        None, ge=1, le=3650, description="Days the raw body of a received event is kept."
    )
    retention_messages: int | None = Field(
        None,
        ge=1,
        le=3650,
        description="Days a sent email's rendered subject, body and address are kept.",
    )

    currency_rates: CurrencyRatesChange | None = Field(
        None,
        description="Rates that convert amounts into the shop's currency (rules, the VIP "
        "segment, the results' converted total); `null`: amounts never convert.",
    )

    @field_validator("storefront_origins")
    @classmethod
    def _origins(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [parse_origin(origin) for origin in value]

    @field_validator("frequency_cap")
    @classmethod
    def _cap_is_readable(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.strip()
            parse_frequency_cap(value)
        return value


@dataclass(frozen=True)
class Effective:
    """The settings the engine uses now."""

    settings: Settings  # the environment's, with the shop's values over it
    default_quiet_hours: QuietHours | None
    from_shop: frozenset[SettingName]  # the settings the shop set; the others: the environment's


def stored(session: Session) -> ShopSettings | None:
    return session.get(ShopSettings, ROW_ID)


def effective(session: Session, settings: Settings) -> Effective:
    """The environment's settings with the shop's over them (one primary-key read)."""
    return resolve(stored(session), settings)


def effective_settings(session: Session, settings: Settings) -> Settings:
    return effective(session, settings).settings


def default_quiet_hours(session: Session) -> QuietHours | None:
    """The quiet hours of the automations that set none (None: no default)."""
    row = stored(session)
    if row is None or row.default_quiet_hours is None:
        return None
    return QuietHours.model_validate(row.default_quiet_hours)


def currency_rates(row: ShopSettings | None) -> CurrencyRates | None:
    """The shop's rates, None when it set none."""
    if row is None or not row.currency_rates:
        return None
    return CurrencyRates.model_validate(row.currency_rates)


def shop_money(session: Session, settings: Settings) -> ShopMoney:
    """The shop's currency and its rates (none when it set none): one primary-key read."""
    rates = currency_rates(stored(session))
    if rates is None:
        return ShopMoney(settings.shop_currency)
    return ShopMoney(settings.shop_currency, dict(rates.rates), rates.set_on)


def resolve(row: ShopSettings | None, settings: Settings) -> Effective:
    if row is None:
        return Effective(settings, None, frozenset())
    values = _values(row)
    over: dict[str, Any] = {
        name: value
        for name, value in values.items()
        if name not in ("default_quiet_hours", "currency_rates")  # not the environment's
    }
    quiet = values.get("default_quiet_hours")
    return Effective(
        settings.model_copy(update=over) if over else settings,
        quiet if isinstance(quiet, QuietHours) else None,
        frozenset(values),
    )


def _values(row: ShopSettings) -> dict[SettingName, Any]:
    """The values the row sets, as the settings hold them."""
    values: dict[SettingName, Any] = {}
    if row.sender_email is not None:
        values["sender_email"] = row.sender_email
    if row.sender_name is not None:
        values["sender_name"] = row.sender_name
    if row.frequency_cap is not None:
        values["frequency_cap"] = row.frequency_cap
    if row.inactivity_threshold_seconds is not None:
        values["inactivity_threshold"] = timedelta(seconds=row.inactivity_threshold_seconds)
    if row.default_quiet_hours is not None:
        values["default_quiet_hours"] = QuietHours.model_validate(row.default_quiet_hours)
    if row.require_marketing_consent is not None:
        values["require_marketing_consent"] = row.require_marketing_consent
    if row.storefront_origins is not None:
        values["storefront_origins"] = list(row.storefront_origins)
    if row.attribution_click_days is not None:
        values["attribution_click_days"] = row.attribution_click_days
    if row.attribution_delivery_days is not None:
        values["attribution_delivery_days"] = row.attribution_delivery_days
    for name in RETENTION:
        if (days := getattr(row, name)) is not None:
            values[name] = days
    if row.currency_rates:
        values["currency_rates"] = currency_rates(row)
    return values


def update(
    session: Session, change: ShopSettingsChange, *, shop_currency: str | None = None
) -> ShopSettings:
    """Apply the fields `change` was given with (null: back to the environment); the caller
    commits. With `shop_currency`, rates that name it are refused (its rate is always 1: any
    other would be ignored without a word)."""
    rates = change.currency_rates
    if shop_currency is not None and rates is not None and shop_currency in rates.rates:
        field = f"currency_rates.rates.{shop_currency}"
        message = f"{shop_currency} is the shop's currency: its rate is always 1, leave it out"
        raise InvalidInput("invalid_request", f"{field}: {message}", [Problem(field, message)])
    row = row_for_update(session)
    given = change.model_fields_set
    if "sender_email" in given:
        row.sender_email = change.sender_email
    if "sender_name" in given:
        row.sender_name = change.sender_name
    if "frequency_cap" in given:
        row.frequency_cap = change.frequency_cap
    if "inactivity_threshold" in given:
        threshold = change.inactivity_threshold
        row.inactivity_threshold_seconds = (
            None if threshold is None else int(threshold.total_seconds())
        )
    if "default_quiet_hours" in given:
        quiet = change.default_quiet_hours
        row.default_quiet_hours = None if quiet is None else quiet.model_dump(mode="json")
    if "require_marketing_consent" in given:
        row.require_marketing_consent = change.require_marketing_consent
    if "storefront_origins" in given:
        row.storefront_origins = change.storefront_origins
    if "attribution_click_days" in given:
        row.attribution_click_days = change.attribution_click_days
    if "attribution_delivery_days" in given:
        row.attribution_delivery_days = change.attribution_delivery_days
    for name in RETENTION:
        if name in given:
            setattr(row, name, getattr(change, name))
    if "currency_rates" in given:
        rates = change.currency_rates
        row.currency_rates = (
            None
            if rates is None
            else {
                "rates": {code: str(rate) for code, rate in sorted(rates.rates.items())},
                "set_on": utcnow().date().isoformat(),  # the day they were set: today
            }
        )
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return row


def row_for_update(session: Session) -> ShopSettings:
    """The row, created on first use. Two first updates at once: the one whose insert loses
    the race carries on with the winner's row (a savepoint keeps the caller's transaction)."""
    if (row := stored(session)) is not None:
        return row
    try:
        with session.begin_nested():
            row = ShopSettings(id=ROW_ID, updated_at=utcnow())
            session.add(row)
    except IntegrityError:
        row = stored(session)
        assert row is not None
    return row


def with_default_quiet_hours(definition: Automation, quiet: QuietHours | None) -> Automation:
    """The definition a journey runs: the shop's default quiet hours when it sets none."""
    if quiet is None or definition.settings.quiet_hours is not None:
        return definition
    settings = definition.settings.model_copy(update={"quiet_hours": quiet})
    return definition.model_copy(update={"settings": settings})
