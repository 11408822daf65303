"""Tokens in the database: hashed, found only while live, revoked for good, never the last
admin; the bootstrap admin token survives restarts and a revocation."""

from pathlib import Path

import pytest
from sqlmodel import Session

from engine.runtime.settings import Settings
from engine.service import auth
from engine.service.auth import LastAdminToken, Role
from engine.store.db import session_scope


def test_a_created_token_is_found_by_its_value_until_revoked(url: str) -> None:
    with session_scope(url) as session:
        token, value = auth.create_token(session, "shop", Role.ingest)
        found = auth.find_token(session, value)
        auth.revoke_token(session, token.id)
        after = auth.find_token(session, value)

    assert found is not None and found.id == token.id
    assert token.token_hash == auth.hash_token(value) != value
    assert after is None


def test_tokens_list_newest_first_and_by_role(url: str) -> None:
    with session_scope(url) as session:
        first, _ = auth.create_token(session, "one", Role.ingest)
        second, _ = auth.create_token(session, "two", Role.support)
        third, _ = auth.create_token(session, "three", Role.ingest)
        everything = [t.id for t in auth.list_tokens(session)]
        ingest = [t.id for t in auth.list_tokens(session, {Role.ingest})]

    assert everything.index(third.id) < everything.index(second.id) < everything.index(first.id)
    assert ingest == [third.id, first.id]


def test_the_last_live_admin_token_is_never_revoked(url: str, settings: Settings) -> None:
    with session_scope(url) as session:
        [configured] = auth.list_tokens(session, {Role.admin})
        with pytest.raises(LastAdminToken):
            auth.revoke_token(session, configured.id)
        other, _ = auth.create_token(session, "other admin", Role.admin)
        auth.revoke_token(session, configured.id)
        with pytest.raises(LastAdminToken):
            auth.revoke_token(session, other.id)

    assert settings.api_token is not None
    with session_scope(url) as session:
        assert auth.find_token(session, settings.api_token) is None


def test_the_kept_bootstrap_token_is_printed_again_and_replaced_once_revoked(
    url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    with session_scope(url) as session:
        first = auth.bootstrap_admin_token(session, None, data_dir)
        again = auth.bootstrap_admin_token(session, None, data_dir)
        kept = auth.find_token(session, first)
        assert kept is not None
        auth.create_token(session, "another admin", Role.admin)  # so it may be revoked
        auth.revoke_token(session, kept.id)
        replaced = auth.bootstrap_admin_token(session, None, data_dir)

    assert again == first
    assert replaced != first
    assert (data_dir / "admin-token").read_text().strip() == replaced
    assert (data_dir / "admin-token").stat().st_mode & 0o777 == 0o600
    with session_scope(url) as session:
        assert _live(session, replaced) and not _live(session, first)


def _live(session: Session, value: str) -> bool:
    return auth.find_token(session, value) is not None
