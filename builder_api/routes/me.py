"""Who the caller is: the builder signs in with a token and shapes itself to its role."""

from fastapi import APIRouter

from builder_api.deps import CurrentToken
from builder_api.schemas.me import Caller

router = APIRouter(prefix="/me", tags=["me"])


@router.get("")
def who_am_i(token: CurrentToken) -> Caller:
    """Name and role of the token that calls (any live token, ingest ones too)."""
    return Caller(token_id=token.id, name=token.name, role=token.role)
