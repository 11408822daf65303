"""Shop settings (admins): the values the engine uses now, each the shop's own or the
environment's, and a partial update of the shop's (engine/service/shop_settings.py); and for
whoever lists automations, the rules of who enters them.

The Brevo API key is never shown: only whether one is configured."""

from fastapi import APIRouter, Request

from builder_api.deps import SessionDep, SettingsDep, note_for_audit, require
from builder_api.schemas.settings import EnrolmentRules, SettingsPublic, SettingsUpdate, ShopValues
from engine.language.definition import QuietHours, format_duration
from engine.runtime.settings import FrequencyCap, Settings
from engine.service import shop_settings
from engine.service.auth import Role
from engine.service.shop_settings import CurrencyRates

router = APIRouter(prefix="/settings", tags=["settings"])


def _cap_text(cap: FrequencyCap | None) -> str:
    """The cap in one spelling (`2/1d`), whatever form the environment wrote it in."""
    return f"{cap.emails}/{format_duration(cap.window)}" if cap else ""


def _values(
    settings: Settings, quiet: QuietHours | None, rates: CurrencyRates | None = None
) -> ShopValues:
    return ShopValues(
        sender_email=settings.sender_email,
        sender_name=settings.sender_name,
        frequency_cap=_cap_text(settings.email_cap),
        inactivity_threshold=settings.inactivity_threshold,
        default_quiet_hours=quiet,
        require_marketing_consent=settings.require_marketing_consent,
        storefront_origins=settings.storefront_origins,
        attribution_click_days=settings.attribution_click_days,
        attribution_delivery_days=settings.attribution_delivery_days,
        retention_abandoned_carts=settings.retention_abandoned_carts,
        retention_events=settings.retention_events,
        retention_messages=settings.retention_messages,
        currency_rates=rates,
    )


def _public(session: SessionDep, settings: Settings) -> SettingsPublic:
    row = shop_settings.stored(session)
    now = shop_settings.resolve(row, settings)
    return SettingsPublic(
        shop=_values(now.settings, now.default_quiet_hours, shop_settings.currency_rates(row)),
        environment=_values(settings, None),
        from_shop=[name for name in shop_settings.SETTING_NAMES if name in now.from_shop],
        shop_name=settings.shop_name,
        shop_currency=settings.shop_currency,
        email_transport=settings.email_transport,
        brevo_api_key_configured=bool(
            settings.brevo_api_key and settings.brevo_api_key.get_secret_value()
        ),
        public_url=settings.resolved_public_url,
        updated_at=row.updated_at if row is not None else None,
    )


@router.get("", dependencies=[require()])
def read_settings(session: SessionDep, settings: SettingsDep) -> SettingsPublic:
    """The settings in use: each the shop's own (set here) or the environment's."""
    return _public(session, settings)


@router.put("", dependencies=[require()])
def update_settings(
    body: SettingsUpdate, session: SessionDep, settings: SettingsDep, request: Request
) -> SettingsPublic:
    """Change some shop settings (`null`: back to the environment's value); they apply to the
    next email and the next abandonment check."""
    shop_settings.update(session, body, shop_currency=settings.shop_currency)
    note_for_audit(request, "shop", changed=sorted(body.model_fields_set))
    return _public(session, settings)


@router.get("/enrolment", dependencies=[require(Role.marketer, Role.support)])
def read_enrolment_rules(session: SessionDep, settings: SettingsDep) -> EnrolmentRules:
    """Who may enter automations: the shop settings the automations list tells its readers."""
    now = shop_settings.effective_settings(session, settings)
    return EnrolmentRules(require_marketing_consent=now.require_marketing_consent)
