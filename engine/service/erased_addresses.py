"""Erased customers' addresses, kept only as salted hashes (DESIGN: retention and erasure).

An erased address must stay unsubscribed: a later event for it creates a customer again (the
shop sent it), and that customer is suppressed at once and enters no automation. The hash
is SHA-256 over a salt made once per installation (kept in the shop settings row, so rotating
a secret never forgets an erasure) and the normalised address.
"""

import hashlib
import secrets
from collections.abc import Sequence

from sqlmodel import Session, col, select

from engine.service import shop_settings
from engine.store.models import Customer, ErasedAddress, Suppression
from engine.store.types import utcnow

REASON = "erased"  # the suppression reason of an erased address that came back


def _salt(session: Session, *, create: bool) -> str | None:
    row = shop_settings.stored(session)
    if row is not None and row.erasure_salt:
        return row.erasure_salt
    if not create:
        return None
    row = shop_settings.row_for_update(session)
    if not row.erasure_salt:
        row.erasure_salt = secrets.token_hex(16)
        session.add(row)
        session.flush()
    return row.erasure_salt


def _hash(salt: str, email: str) -> str:
    return hashlib.sha256(f"{salt}:{email.strip().lower()}".encode()).hexdigest()


def remember(session: Session, email: str) -> None:
    """Keep the address's hash (once), so the address stays unsubscribed after erasure."""
    salt = _salt(session, create=True)
    assert salt is not None
    address_hash = _hash(salt, email)
    if session.get(ErasedAddress, address_hash) is None:
        session.add(ErasedAddress(address_hash=address_hash, erased_at=utcnow()))
        session.flush()


def anything_erased(session: Session) -> bool:
    """Whether any address was ever erased (the salt is made at the first erasure)."""
    return _salt(session, create=False) is not None


def was_erased(session: Session, email: str) -> bool:
    salt = _salt(session, create=False)
    return salt is not None and session.get(ErasedAddress, _hash(salt, email)) is not None


def suppress_if_erased(session: Session, customer: Customer) -> None:
    """For a customer just created: suppress them when their address was erased before."""
    suppress_erased(session, [customer])


def suppress_erased(session: Session, customers: Sequence[Customer]) -> None:
    """For customers just created (an ingest call creates its new customers together):
    suppress those whose address was erased before, with one query for them all."""
    salt = _salt(session, create=False)
    if salt is None or not customers:
        return  # nothing was ever erased
    by_hash = {_hash(salt, customer.email): customer for customer in customers}
    erased = session.exec(
        select(ErasedAddress.address_hash).where(col(ErasedAddress.address_hash).in_(by_hash))
    ).all()
    for address_hash in erased:
        email = by_hash[address_hash].email
        if session.get(Suppression, email) is None:
            session.add(Suppression(email=email, reason=REASON, created_at=utcnow()))
    if erased:
        session.flush()


def stays_out(session: Session, customer: Customer | None) -> bool:
    """Whether this customer's address was erased and came back: they enter no automation."""
    if customer is None:
        return False
    suppression = session.get(Suppression, customer.email)
    return suppression is not None and suppression.reason == REASON
