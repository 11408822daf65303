"""Shop settings: the values in use, where each comes from, and a partial update."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from engine.language.definition import Duration, QuietHours
from engine.service.shop_settings import CurrencyRates, SettingName, ShopSettingsChange


class ShopValues(BaseModel):
    sender_email: str | None = Field(description="From address; unset: none (outbox only)")
    sender_name: str | None = Field(description="From name; unset: the shop's name")
    frequency_cap: str = Field(description="e.g. `1/12h` (emails/window); empty: no cap")
    inactivity_threshold: Duration
    default_quiet_hours: QuietHours | None = Field(
        description="Quiet hours of automations that set none; unset: none"
    )
    require_marketing_consent: bool = Field(
        description="Only carts whose customer accepts marketing enter automations"
    )
    storefront_origins: list[str] = Field(
        description="Origins the storefront snippet may post from; none: storefront keys "
        "are refused"
    )
    attribution_click_days: int = Field(
        description="Results: a recovery belongs to the last email clicked this many days before it"
    )
    attribution_delivery_days: int = Field(
        description="Results: else to the last email delivered (or sent) this many days "
        "before it, else to none"
    )
    retention_abandoned_carts: int = Field(
        description="Days a cart never recovered is kept after its last activity"
    )
    retention_events: int = Field(description="Days an event's raw body is kept")
    retention_messages: int = Field(
        description="Days a sent email's subject, body and address are kept"
    )
    currency_rates: CurrencyRates | None = Field(
        description="Rates into the shop's currency, with the day they were set; unset: "
        "amounts in other currencies never convert"
    )


class SettingsPublic(BaseModel):
    shop: ShopValues = Field(description="The values in use now")
    environment: ShopValues = Field(description="The environment's values (BOOMERANG_...)")
    from_shop: list[SettingName] = Field(
        description="The settings set here; the others are the environment's"
    )
    shop_name: str = Field(description="BOOMERANG_SHOP_NAME: the sender name when none is set")
    shop_currency: str = Field(
        description="BOOMERANG_SHOP_CURRENCY: what a plain amount in a rule means, and what "
        "the rates convert into"
    )
    email_transport: Literal["outbox", "brevo"]
    brevo_api_key_configured: bool
    public_url: str = Field(description="Base URL of the links in emails")
    updated_at: datetime | None = Field(description="Last change of the shop settings")


class SettingsUpdate(ShopSettingsChange):
    """Only the fields given change; `null` returns a setting to the environment's value."""


class EnrolmentRules(BaseModel):
    require_marketing_consent: bool = Field(
        description="Only carts whose customer accepts marketing enter automations"
    )
