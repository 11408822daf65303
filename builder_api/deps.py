"""Request-scoped dependencies: settings, the database session, Temporal, the caller's token."""

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from temporalio.client import Client

from builder_api.errors import ApiError
from engine.service.auth import Role, find_token
from engine.service.errors import Unavailable
from engine.settings import Settings
from engine.store.db import session_scope
from engine.store.models import ApiToken


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    with session_scope(settings.resolved_database_url) as session:
        yield session


# Function scope: the commit happens before the answer is sent, so a 202 means it is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_temporal(request: Request) -> Client:
    try:
        client: Client = await request.app.state.temporal.get()
    except Unavailable as error:
        raise ApiError(503, "temporal_unavailable", str(error)) from error
    return client


TemporalDep = Annotated[Client, Depends(get_temporal)]

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer <token>`")


def current_token(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> ApiToken:
    if credentials is None:
        raise ApiError(401, "unauthenticated", "send an API token as `Authorization: Bearer ...`")
    token = find_token(session, credentials.credentials)
    if token is None:
        raise ApiError(401, "invalid_token", "this API token is unknown or revoked")
    return token


def require(*roles: Role) -> Any:
    """A dependency that admits admins and the given roles."""

    def check(token: Annotated[ApiToken, Depends(current_token)]) -> ApiToken:
        if token.role != Role.admin and token.role not in roles:
            allowed = ", ".join(sorted({Role.admin, *roles}))
            raise ApiError(403, "forbidden", f"a {token.role} token cannot do this ({allowed} can)")
        return token

    return Depends(check)
