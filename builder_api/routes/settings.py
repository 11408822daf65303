"""Shop settings (admins): the values the engine uses now, each the shop's own or the
environment's, and a partial update of the shop's (engine/service/shop_settings.py).

The Brevo API key is never shown: only whether one is configured."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from builder_api.deps import SessionDep, SettingsDep, note_for_audit, require
from engine.language.definition import Duration, QuietHours, format_duration
from engine.runtime.settings import FrequencyCap, Settings
from engine.service import shop_settings
from engine.service.shop_settings import SettingName, ShopSettingsChange

router = APIRouter(prefix="/settings", tags=["settings"], dependencies=[require()])


class ShopValues(BaseModel):
    sender_email: str | None = Field(description="From address; unset: none (outbox only)")
    sender_name: str | None = Field(description="From name; unset: the shop's name")
    frequency_cap: str = Field(description="e.g. `1/12h` (emails/window); empty: no cap")
    inactivity_threshold: Duration
    default_quiet_hours: QuietHours | None = Field(
        description="Quiet hours of automations that set none; unset: none"
    )


class SettingsPublic(BaseModel):
    shop: ShopValues = Field(description="The values in use now")
    environment: ShopValues = Field(description="The environment's values (BOOMERANG_...)")
    from_shop: list[SettingName] = Field(
        description="The settings set here; the others are the environment's"
    )
    shop_name: str = Field(description="BOOMERANG_SHOP_NAME: the sender name when none is set")
    email_transport: Literal["outbox", "brevo"]
    brevo_api_key_configured: bool
    public_url: str = Field(description="Base URL of the links in emails")
    updated_at: datetime | None = Field(description="Last change of the shop settings")


class SettingsUpdate(ShopSettingsChange):
    """Only the fields given change; `null` returns a setting to the environment's value."""


def _cap_text(cap: FrequencyCap | None) -> str:
    """The cap in one spelling (`2/1d`), whatever form the environment wrote it in."""
    return f"{cap.emails}/{format_duration(cap.window)}" if cap else ""


def _values(settings: Settings, quiet: QuietHours | None) -> ShopValues:
    return ShopValues(
        sender_email=settings.sender_email,
        sender_name=settings.sender_name,
        frequency_cap=_cap_text(settings.email_cap),
        inactivity_threshold=settings.inactivity_threshold,
        default_quiet_hours=quiet,
    )


def _public(session: SessionDep, settings: Settings) -> SettingsPublic:
    row = shop_settings.stored(session)
    now = shop_settings.resolve(row, settings)
    return SettingsPublic(
        shop=_values(now.settings, now.default_quiet_hours),
        environment=_values(settings, None),
        from_shop=[name for name in shop_settings.SETTING_NAMES if name in now.from_shop],
        shop_name=settings.shop_name,
        email_transport=settings.email_transport,
        brevo_api_key_configured=bool(
            settings.brevo_api_key and settings.brevo_api_key.get_secret_value()
        ),
        public_url=settings.resolved_public_url,
        updated_at=row.updated_at if row is not None else None,
    )


@router.get("")
def read_settings(session: SessionDep, settings: SettingsDep) -> SettingsPublic:
    """The settings in use: each the shop's own (set here) or the environment's."""
    return _public(session, settings)


@router.put("")
def update_settings(
    body: SettingsUpdate, session: SessionDep, settings: SettingsDep, request: Request
) -> SettingsPublic:
    """Change some shop settings (`null`: back to the environment's value); they apply to the
    next email and the next abandonment check."""
    shop_settings.update(session, body)
    note_for_audit(request, "shop", changed=sorted(body.model_fields_set))
    return _public(session, settings)
