"""Request-scoped dependencies: settings, the database session, Temporal, the caller's token
and role.

FastAPI runs a plain `def` dependency on a worker thread, a hop that costs a request about a
tenth of a millisecond of CPU each way: what does no I/O is `async def` here, so it runs on
the event loop without one.
"""

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from builder_api.errors import ApiError
from engine.runtime.settings import Settings
from engine.service.audit import Actor
from engine.service.auth import Role, find_token
from engine.service.errors import Unavailable
from engine.store.db import session_scope
from engine.store.models import ApiToken


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_settings(request: Request) -> Settings:
    return _settings(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session(settings: SettingsDep) -> Iterator[Session]:
    with session_scope(settings.resolved_database_url) as session:
        yield session


# Function scope: the commit happens before the answer is sent, so a 202 means it is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_loop_session(settings: SettingsDep) -> AsyncIterator[Session]:
    with session_scope(settings.resolved_database_url) as session:
        yield session


# The same session, opened and committed on the event loop instead of a worker thread (two
# hops fewer): for an `async def` route that does its database work on the loop anyway
# (`POST /api/v1/events`). A sync route keeps `SessionDep`, so its commit never waits for a
# database lock on the loop.
LoopSessionDep = Annotated[Session, Depends(get_loop_session, scope="function")]


async def _temporal(request: Request) -> Client:
    """Connected on first use (engine.service.temporal.TemporalLink); `Unavailable` if not."""
    client: Client = await request.app.state.temporal.get()
    return client


async def get_temporal(request: Request) -> Client:
    try:
        return await _temporal(request)
    except Unavailable as error:
        raise ApiError(503, "temporal_unavailable", str(error)) from error


async def get_optional_temporal(request: Request) -> Client | None:
    try:
        return await _temporal(request)
    except Unavailable:
        return None


# The connected client, or 503 `temporal_unavailable` while Temporal is down.
TemporalDep = Annotated[Client, Depends(get_temporal)]
# The client, or None while Temporal is down: for use cases that still work then (the service
# raises `Unavailable` where it really needs Temporal).
OptionalTemporalDep = Annotated[Client | None, Depends(get_optional_temporal)]

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer <token>`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def no_nul_in_the_url(request: Request) -> None:
    """No id or filter holds a NUL character, and what they are looked up in cannot take one
    (PostgreSQL text, Temporal's visibility queries): refuse it here, for every route."""
    values = [
        request.scope["path"],
        *(v for item in request.query_params.multi_items() for v in item),
    ]
    if any("\x00" in value for value in values):
        raise ApiError(400, "invalid_request", "the URL holds a NUL character (%00)")


def authenticate(
    request: Request,
    session: Session,
    credentials: HTTPAuthorizationCredentials | None,
    *,
    storefront_ok: bool = False,
) -> ApiToken:
    """The caller's live token (401 without one). A storefront key is refused (403) unless
    `storefront_ok`: only `POST /api/v1/events` takes one, with rules of its own
    (builder_api/storefront.py); every other route, present or future, refuses it here."""
    if credentials is None:
        raise ApiError(401, "unauthenticated", "send an API token as `Authorization: Bearer ...`")
    token = find_token(session, credentials.credentials)
    if token is None:
        raise ApiError(401, "invalid_token", "this API token is unknown or revoked")
    if token.role == Role.storefront and not storefront_ok:
        # Before the audit log learns of the caller: the key is public (it is in the shop's
        # pages), and refusals logged under it would let anyone fill the log.
        raise ApiError(
            403,
            "forbidden",
            "a storefront key may only post cart activity (POST /api/v1/events)",
        )
    request.state.actor = Actor.of(token)  # who the audit log names (builder_api/audit_log.py)
    # End the read, which gives its connection back to the pool: an async route then awaits
    # Temporal, and a connection held across that wait by each of more requests than the pool
    # has would leave the event loop blocked on a connection nobody can give back.
    session.commit()
    return token


def current_token(request: Request, session: SessionDep, credentials: Credentials) -> ApiToken:
    """The caller's live token (401 without one); remembered for the audit log."""
    return authenticate(request, session, credentials)


CurrentToken = Annotated[ApiToken, Depends(current_token)]


class RoleCheck:
    """The dependency `require` makes: admits admins and the given roles, 403 for the others."""

    def __init__(self, roles: Iterable[Role]) -> None:
        self.allowed = frozenset({Role.admin, *roles})
        if Role.storefront in self.allowed:
            raise ValueError("no route requires a storefront key: its rules are its own")

    def __call__(self, token: CurrentToken) -> ApiToken:
        self.check(token)
        return token

    def check(self, token: ApiToken) -> None:
        if token.role not in self.allowed:
            allowed = ", ".join(sorted(self.allowed))
            raise ApiError(403, "forbidden", f"a {token.role} token cannot do this ({allowed} can)")


def require(*roles: Role) -> Any:
    """A dependency that admits admins and the given roles: `dependencies=[require(...)]`, or
    `Annotated[ApiToken, require(...)]` for a route that needs the token itself."""
    return Depends(RoleCheck(roles))


def _role_checks(dependant: Dependant) -> Iterator[RoleCheck]:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, RoleCheck):
            yield dependency.call
        yield from _role_checks(dependency)


async def check_caller_first(request: Request) -> None:
    """Refuse (401/403) a caller of a route they may not call, for the errors FastAPI reports
    before any dependency ran: it parses a JSON body first, so a body that is not JSON (or one
    too large) would otherwise tell an anonymous or forbidden caller "400"/"422" instead.

    After dependencies ran (the caller is known), a validation error means the role check
    passed: nothing to do.
    """
    if getattr(request.state, "actor", None) is not None:
        return
    route = request.scope.get("route")
    checks = list(_role_checks(route.dependant)) if isinstance(route, APIRoute) else []
    if not checks:
        return
    credentials = await _bearer(request)
    url = _settings(request).resolved_database_url

    def authorize() -> None:
        with session_scope(url) as session:
            token = authenticate(request, session, credentials)
        for check in checks:
            check.check(token)

    await run_in_threadpool(authorize)


# The public routes whose credential is a link's token (`/r/...`, `/u/...`, a cart's restore):
# per client address and API process, a bucket of LINK_BURST refilled at LINK_RATE_PER_MINUTE
# (builder_api/storefront.py `RateLimit`). A person opens a link a few times; a mail
# scanner opening every link of a batch of emails from one address is slowed, not refused.
LINK_RATE_PER_MINUTE = 60
LINK_BURST = 60
# One-click unsubscribes (RFC 8058) are posted by the mailbox providers' servers: a few
# addresses carry every Gmail user's unsubscribe, so they get a bucket of their own, larger.
UNSUBSCRIBE_RATE_PER_MINUTE = 600
UNSUBSCRIBE_BURST = 600


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def limit_link_rate(request: Request) -> None:
    """429 with `Retry-After` once this address has opened links faster than allowed: a
    guess at tokens by the thousand is slowed to a trickle."""
    request.app.state.link_rate_limit.take(client_address(request))


async def limit_unsubscribe_rate(request: Request) -> None:
    """As `limit_link_rate`, for the unsubscribe POST and with its larger allowance."""
    request.app.state.unsubscribe_rate_limit.take(client_address(request))


def note_for_audit(request: Request, resource: str | None = None, **detail: Any) -> None:
    """What this call's audit entry should add: the id of what it created (the path names no
    resource then) and small facts that are safe to keep. Never a secret or personal data."""
    request.state.audit_note = {"resource": resource, "detail": detail}


async def raw_body(request: Request) -> bytes:
    """The body as sent (what a signature covers); builder_api/body_limit.py bounds it."""
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]
