"""API tokens: roles, hashing, lookup, and the bootstrap admin token."""

import hashlib
import secrets
from enum import StrEnum
from pathlib import Path

from sqlmodel import Session, select

from engine.store.models import ApiToken


class Role(StrEnum):
    admin = "admin"
    marketer = "marketer"
    developer = "developer"
    support = "support"
    ingest = "ingest"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_value() -> str:
    return "bmr_" + secrets.token_urlsafe(32)


def find_token(session: Session, raw: str) -> ApiToken | None:
    """The live token with this value, if any."""
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(raw))).first()
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


def bootstrap_admin_token(session: Session, fixed: str | None, data_dir: Path) -> str:
    """The admin token printed at start: the configured one, else one generated once and kept.

    The value is kept in the data dir (readable by its owner only) so every start can print
    it again; the database holds only its hash.
    """
    if fixed:
        raw = fixed
    else:
        path = data_dir / "admin-token"
        if path.is_file():
            raw = path.read_text().strip()
        else:
            raw = new_token_value()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(mode=0o600)
            path.write_text(raw + "\n")
    ensure_token(session, raw, name="bootstrap admin", role=Role.admin)
    return raw
