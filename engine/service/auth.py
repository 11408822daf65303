"""API tokens: roles, hashing, lookup, creating, listing and revoking, and the bootstrap
admin token. A token's value is shown once, when it is created; only its SHA-256 is kept."""

import hashlib
import secrets
from collections.abc import Collection
from enum import StrEnum
from pathlib import Path

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from engine.service.errors import Conflict, NotFound
from engine.store.models import ApiToken
from engine.store.types import utcnow


class Role(StrEnum):
    admin = "admin"  # everything, and manages tokens
    marketer = "marketer"  # automations, templates, presets, analytics
    developer = "developer"  # catalog, ingest tokens, webhooks
    support = "support"  # journeys and carts: read, pause, resume, cancel
    ingest = "ingest"  # events only
    # A publishable key in a shop's pages: cart activity only, from the allowed origins.
    storefront = "storefront"


class LastAdminToken(Conflict):
    """Revoking this token would leave no live admin token: nobody could manage tokens."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_value() -> str:
    return "bmr_" + secrets.token_urlsafe(32)


# Every authenticated request runs it: built once, since building a statement costs about as
# much as running this one.
_BY_HASH = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"))


def find_token(session: Session, raw: str) -> ApiToken | None:
    """The live token with this value, if any."""
    token = session.exec(_BY_HASH, params={"token_hash": hash_token(raw)}).first()
    return token if token is not None and token.revoked_at is None else None


def ensure_token(session: Session, raw: str, name: str, role: Role) -> ApiToken:
    if existing := session.exec(
        select(ApiToken).where(ApiToken.token_hash == hash_token(raw))
    ).first():
        return existing
    token = ApiToken(name=name, role=role, token_hash=hash_token(raw))
    session.add(token)
    session.flush()
    return token


def create_token(session: Session, name: str, role: Role) -> tuple[ApiToken, str]:
    """A new token and its value: the only time the value exists outside the caller's hands."""
    raw = new_token_value()
    return ensure_token(session, raw, name=name, role=role), raw


def list_tokens(session: Session, roles: Collection[Role] | None = None) -> list[ApiToken]:
    """Tokens, revoked ones included, newest first; only those of `roles` when given."""
    query = select(ApiToken)
    if roles is not None:
        query = query.where(col(ApiToken.role).in_([str(role) for role in roles]))
    return list(session.exec(query.order_by(col(ApiToken.created_at).desc())).all())


def get_token(session: Session, token_id: str) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no token {token_id}")
    return token


def revoke_token(session: Session, token_id: str) -> ApiToken:
    """Revoke a token at once (its next call gets 401); revoking it again changes nothing.

    The last live admin token is never revoked (`LastAdminToken`): create another admin
    token first. On PostgreSQL the live admin tokens are locked while counting, so two
    admins revoking each other's tokens at the same moment cannot both succeed.
    """
    token = get_token(session, token_id)
    if token.revoked_at is not None:
        return token
    if token.role == Role.admin:
        live_admins = session.exec(
            select(ApiToken.id)
            .where(ApiToken.role == Role.admin, col(ApiToken.revoked_at).is_(None))
            .with_for_update()
        ).all()
        if list(live_admins) == [token.id]:
            raise LastAdminToken(
                f"token {token.id} is the last admin token: create another admin token first"
            )
    token.revoked_at = utcnow()
    session.add(token)
    session.flush()
    return token


def bootstrap_admin_token(session: Session, fixed: str | None, data_dir: Path) -> str:
    """The admin token printed at start: the configured one, else one generated once and kept.

    The value is kept in the data dir (readable by its owner only) so every start can print
    it again; the database holds only its hash. A kept token that was revoked is replaced by
    a new one (whoever reads the data dir may have an admin token anyway); a configured one
    stays revoked: set another BOOMERANG_API_TOKEN.
    """
    if fixed:
        raw = fixed
    else:
        path = data_dir / "admin-token"
        raw = path.read_text().strip() if path.is_file() else ""
        kept = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(raw))).first()
        if not raw or (kept is not None and kept.revoked_at is not None):
            raw = new_token_value()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(raw + "\n")
    ensure_token(session, raw, name="bootstrap admin", role=Role.admin)
    return raw
