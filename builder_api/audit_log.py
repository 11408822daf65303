"""The audit log, written in one place: an ASGI middleware around the whole app.

After the route answered it knows everything an entry needs: the route that matched (its
template, not the raw path), the path parameters, the status, and the token that
`current_token` authenticated (on `request.state`). The entry is stored before the answer
leaves, so a client that got its answer finds the entry.

Logged: every POST, PUT, PATCH and DELETE under /api/v1 made with a valid token, whatever
its status (a 403 or a 422 is worth knowing too). Not logged: calls without a valid token
(the log names who did something; an unknown caller is nobody), reads, and two endpoints
that machines call at volume with a credential of their own: `POST /api/v1/events` (the
shop's event stream, not a person's action; the events table keeps every event) and
`POST /api/v1/webhooks/brevo` (Brevo's delivery reports, a shared secret, no token).
"""

import logging
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.runtime.settings import Settings
from engine.service import audit
from engine.store.db import session_scope

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFIX = "/api/v1/"
NOT_AUDITED = frozenset({("POST", "/api/v1/events"), ("POST", "/api/v1/webhooks/brevo")})

log = logging.getLogger(__name__)


class AuditLog:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._paths: dict[int, str] | None = None

    def _path_of(self, scope: Scope, route: APIRoute) -> str:
        """The route's full template (`/api/v1/templates/{template}`): `scope["route"]` is the
        route as its router declared it (`/templates/{template}`), without the prefixes."""
        if self._paths is None:  # on first use: every router is included by then
            self._paths = {
                id(context.original_route): context.path or ""
                for context in iter_route_contexts(scope["app"].routes)
            }
        return self._paths.get(id(route), route.path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in MUTATING:
            await self.app(scope, receive, send)
            return
        recorded = False

        async def record_then_send(message: Message) -> None:
            nonlocal recorded
            if message["type"] == "http.response.start" and not recorded:
                recorded = True
                await self._record(scope, message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_then_send)
        except Exception:
            if not recorded:  # the server answers 500
                recorded = True
                await self._record(scope, 500)
            raise

    async def _record(self, scope: Scope, status: int) -> None:
        route, method = scope.get("route"), scope["method"]
        actor = scope.get("state", {}).get("actor")
        if not isinstance(route, APIRoute) or not isinstance(actor, audit.Actor):
            return
        path = self._path_of(scope, route)
        if method not in (route.methods or ()) or not path.startswith(PREFIX):
            return  # a 405 names a route of another method
        if (method, path) in NOT_AUDITED:
            return
        action = f"{method} {path}"
        params = {str(k): audit.clean(str(v)) for k, v in scope.get("path_params", {}).items()}
        note: dict[str, Any] = scope.get("state", {}).get("audit_note") or {}
        resource = note.get("resource") or _resource(params)
        detail = {**({"path": params} if params else {}), **note.get("detail", {})}
        try:
            await run_in_threadpool(self._write, actor, action, status, resource, detail)
        except Exception:
            # The call itself is done and committed: answering 500 would only make the client
            # retry it. Say loudly that the log lacks it.
            log.exception("audit entry not written: %s by %s (%s)", action, actor.token_id, status)

    def _write(
        self,
        actor: audit.Actor,
        action: str,
        status: int,
        resource: str | None,
        detail: dict[str, Any],
    ) -> None:
        with session_scope(self.settings.resolved_database_url) as session:
            audit.record(session, actor, action, status, resource, detail)


def _resource(params: dict[str, str]) -> str | None:
    """The resource the path names: its one parameter's value, else `name=value` pairs."""
    if len(params) <= 1:
        return next(iter(params.values()), None)
    return ", ".join(f"{name}={value}" for name, value in params.items())
