"""API tokens: admins manage every token; developers manage the tokens of a shop's
integration only: ingest tokens (its server) and storefront keys (its pages: publishable, and
narrower than an ingest token, builder_api/storefront.py). A token's value is shown once, in
the answer that creates it; only its SHA-256 is kept, and no answer shows it again."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from builder_api.deps import SessionDep, note_for_audit, require
from builder_api.errors import ApiError
from builder_api.schemas.tokens import TokenCreate, TokenCreated, TokenPublic
from engine.service import auth
from engine.service.auth import Role
from engine.store.models import ApiToken

router = APIRouter(prefix="/tokens", tags=["tokens"])
TokenId = Annotated[
    str, Path(max_length=40, description="The id `GET /api/v1/tokens` returns (`tok_...`)")
]
Manager = Annotated[ApiToken, require(Role.developer)]
DEVELOPER_MANAGES = frozenset({Role.ingest, Role.storefront})


def _manageable(caller: ApiToken) -> frozenset[Role] | None:
    """The roles of the tokens this caller may manage; None: all of them (an admin)."""
    return None if caller.role == Role.admin else DEVELOPER_MANAGES


def _check_manageable(caller: ApiToken, role: str) -> None:
    manageable = _manageable(caller)
    if manageable is not None and role not in manageable:
        raise ApiError(
            403,
            "forbidden",
            f"a {caller.role} token manages ingest and storefront tokens only, not {role} ones",
        )


def _public(token: ApiToken) -> TokenPublic:
    return TokenPublic(
        id=token.id,
        name=token.name,
        role=Role(token.role),
        created_at=token.created_at,
        revoked_at=token.revoked_at,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenCreate, caller: Manager, session: SessionDep, request: Request, response: Response
) -> TokenCreated:
    """Create a named token with a role; the answer shows its value, this once."""
    _check_manageable(caller, body.role)
    token, value = auth.create_token(session, body.name, body.role)
    note_for_audit(request, token.id, name=token.name, role=token.role)
    response.headers["Cache-Control"] = "no-store"
    return TokenCreated(**_public(token).model_dump(), token=value)


@router.get("")
def list_tokens(caller: Manager, session: SessionDep) -> list[TokenPublic]:
    """List tokens, revoked ones too, newest first (never their values); developers see the
    ingest and storefront tokens."""
    return [_public(token) for token in auth.list_tokens(session, _manageable(caller))]


@router.delete("/{token_id}")
def revoke_token(caller: Manager, session: SessionDep, token_id: TokenId) -> TokenPublic:
    """Revoke a token: its next call gets 401. The last live admin token cannot be revoked
    (409 `last_admin_token`): create another admin token first."""
    _check_manageable(caller, auth.get_token(session, token_id).role)
    try:
        revoked = auth.revoke_token(session, token_id)
    except auth.LastAdminToken as error:
        raise ApiError(409, "last_admin_token", str(error)) from error
    return _public(revoked)
