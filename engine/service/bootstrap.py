"""Preparing a data store: migrations, first-start presets, the admin token."""

import logging

from sqlmodel import Session, col, select

from engine.language.presets import INSTALLED_ON_FIRST_START
from engine.runtime.settings import Settings
from engine.service.auth import Role, bootstrap_admin_token, ensure_token
from engine.service.automations import install_presets
from engine.service.shop_settings import shop_money
from engine.service.template_seeding import seed_templates
from engine.store.db import migrate, session_scope
from engine.store.models import Cart

log = logging.getLogger(__name__)
RECENT_CARTS = 1000  # enough to see a shop's currencies; read by the indexed updated_at


def prepare(settings: Settings) -> None:
    """Migrate, seed the default email templates and install the first-start presets (each
    only where missing), and register BOOMERANG_API_TOKEN if set."""
    migrate(settings.resolved_database_url)
    with session_scope(settings.resolved_database_url) as session:
        seed_templates(session, settings.templates_dir)  # before the presets, which name them
        install_presets(session, INSTALLED_ON_FIRST_START)
        if settings.api_token:
            ensure_token(session, settings.api_token, name="configured admin", role=Role.admin)
        if warning := currency_warning(session, settings):
            log.warning(warning)


def currency_warning(session: Session, settings: Settings) -> str | None:
    """What to say when recent carts are in currencies a plain amount in a rule cannot judge
    (not the shop's, no rate): such rules stop matching those carts. An upgrade of a shop that
    sells in euros but never set BOOMERANG_SHOP_CURRENCY meets exactly this."""
    recent = (
        select(Cart.currency).order_by(col(Cart.updated_at).desc()).limit(RECENT_CARTS).subquery()
    )
    currencies = set(session.exec(select(recent.c.currency).distinct()).all())
    money = shop_money(session, settings)
    unjudged = sorted(c for c in currencies if money.rate(c) is None)
    if not unjudged:
        return None
    return (
        f"recent carts are in {', '.join(unjudged)}, but BOOMERANG_SHOP_CURRENCY is "
        f"{money.currency} and no rate converts them: rules with a plain amount (cart.total "
        "gte 25) do not match those carts. Set BOOMERANG_SHOP_CURRENCY, per-currency "
        "thresholds, or currency rates (Settings)."
    )


def prepare_for_dev(settings: Settings) -> str:
    """`prepare`, plus an admin token to print: the configured one, or one kept in the data dir."""
    prepare(settings)
    with session_scope(settings.resolved_database_url) as session:
        return bootstrap_admin_token(session, settings.api_token, settings.data_dir)
