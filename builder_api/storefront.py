"""The storefront snippet's side of the API (`GET /sdk/boomerang.js` runs in the shop's pages).

A storefront key is publishable: anyone who reads the shop's pages has it. So it may do one
thing, report cart activity (`cart_updated`, `checkout_started`) to `POST /api/v1/events`,
and only:
- from a browser on one of the shop's origins: the effective `storefront_origins` setting
  (`PUT /api/v1/settings`, else BOOMERANG_STOREFRONT_ORIGINS); none set, none allowed;
- at most `RATE_PER_MINUTE` requests a minute per client address, in each API process.

The origin check keeps other websites from using the key in their visitors' browsers; a
script outside a browser can send any `Origin`, which is why the role is this narrow and
rate limited. Every other route refuses the key (builder_api/deps.py `authenticate`).

CORS: browsers ask before they post across origins (a preflight `OPTIONS`). `StorefrontCors`
answers it for the allowed origins, for the two paths the snippet calls, and adds the CORS
headers to the answers; another origin gets no CORS header, so its pages cannot read or post.
"""

import math
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from builder_api.errors import ApiError, error_body
from engine.language.events import CartActivityEvent, Event
from engine.runtime.settings import Settings, parse_origin
from engine.service import shop_settings
from engine.store.db import session_scope

# The snippet's calls: events (with the key) and a recovered cart (with a link's token).
CORS_PATHS = {
    re.compile(r"/api/v1/events"): "POST",
    re.compile(r"/api/v1/carts/[^/]+/restore"): "GET",
}
ALLOWED_HEADERS = "authorization, content-type, idempotency-key"
PREFLIGHT_MAX_AGE = "600"  # browsers ask again after 10 minutes
WHERE_TO_SET = (
    "an admin lists the shop's origins in the settings (`storefront_origins` of "
    "PUT /api/v1/settings, or BOOMERANG_STOREFRONT_ORIGINS)"
)

# Allowed origins are read at most every ORIGINS_TTL seconds; an origin the last read did not
# allow is looked up again at once, so one just added works at once and one just removed
# stops within ORIGINS_TTL.
ORIGINS_TTL = 5.0

# Per client address and API process: a token bucket holding BURST requests, refilled at
# RATE_PER_MINUTE. The snippet debounces cart updates, so a shopper sends a few a minute;
# many shoppers behind one address (an office, a mobile carrier's NAT) share a bucket.
RATE_PER_MINUTE = 60
BURST = 60
MAX_ADDRESSES = 10_000  # beyond this, buckets idle long enough to be full again are dropped

STOREFRONT_EVENTS = frozenset({"cart_updated", "checkout_started"})


class AllowedOrigins:
    """The effective `storefront_origins`, read from the database now and then."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self._origins: frozenset[str] = frozenset()
        self._read_at: float | None = None

    async def current(self, *, fresh: bool = False) -> frozenset[str]:
        now = self.clock()
        if fresh or self._read_at is None or now - self._read_at >= ORIGINS_TTL:
            self._origins = await run_in_threadpool(self._read)
            self._read_at = now
        return self._origins

    async def allows(self, origin: str | None) -> bool:
        normalised = _normalised(origin)
        if normalised is None:
            return False
        return normalised in await self.current() or normalised in await self.current(fresh=True)

    def _read(self) -> frozenset[str]:
        with session_scope(self.settings.resolved_database_url) as session:
            effective = shop_settings.effective_settings(session, self.settings)
        return frozenset(effective.storefront_origins)


def _normalised(origin: str | None) -> str | None:
    """The origin as the settings hold it; None for no origin or one that is none (`null`)."""
    if origin is None:
        return None
    try:
        return parse_origin(origin)
    except ValueError:
        return None


def _allowed_method(path: str) -> str | None:
    for pattern, method in CORS_PATHS.items():
        if pattern.fullmatch(path):
            return method
    return None


class StorefrontCors:
    """CORS for the snippet's two paths, from the shop's allowed origins (read per request,
    since an admin changes them at run time: Starlette's CORSMiddleware takes a fixed list)."""

    def __init__(self, app: ASGIApp, origins: AllowedOrigins) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = _allowed_method(scope["path"]) if scope["type"] == "http" else None
        if method is None:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and await self.origins.allows(origin)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin, allowed, method)(scope, receive, send)
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = MutableHeaders(scope=message)
                answer.add_vary_header("Origin")
                if allowed and origin is not None:
                    answer["Access-Control-Allow-Origin"] = origin
            await send(message)

        await self.app(scope, receive, with_cors)

    def _preflight(self, origin: str | None, allowed: bool, method: str) -> Response:
        if not allowed or origin is None:
            message = f"the origin {origin or '(none)'} may not call this from a browser: "
            return JSONResponse(
                error_body("origin_not_allowed", message + WHERE_TO_SET),
                403,
                headers={"Vary": "Origin"},
            )
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": f"{method}, OPTIONS",
                "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
                "Vary": "Origin",
            },
        )


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimit:
    """A token bucket per client address: `take` raises 429 with `Retry-After` when empty.
    The storefront key's limit by default; the public link routes keep one of their own
    (builder_api/deps.py `limit_link_rate`)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        per_minute: int = RATE_PER_MINUTE,
        burst: int = BURST,
        allowance: str = "a storefront key may send",
    ) -> None:
        self.clock = clock
        self.per_minute, self.burst, self.allowance = per_minute, burst, allowance
        self._buckets: dict[str, _Bucket] = {}

    def take(self, address: str) -> None:
        now, rate = self.clock(), self.per_minute / 60
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= MAX_ADDRESSES:
                self._forget_idle(now)
            bucket = self._buckets[address] = _Bucket(tokens=self.burst, at=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens < 1:
            wait = math.ceil((1 - bucket.tokens) / rate)
            raise ApiError(
                429,
                "rate_limited",
                f"too many requests from this address: {self.allowance} "
                f"{self.per_minute} a minute; try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )
        bucket.tokens -= 1

    def _forget_idle(self, now: float) -> None:
        refill = self.burst / (self.per_minute / 60)
        for address in [a for a, b in self._buckets.items() if now - b.at >= refill]:
            del self._buckets[address]


async def check_origin(origins: AllowedOrigins, origin: str | None) -> None:
    """403 unless the request comes from a page on one of the shop's origins."""
    if not await origins.current() and not await origins.current(fresh=True):
        raise ApiError(
            403,
            "storefront_origins_unset",
            f"no storefront origins are set, so storefront keys are refused: {WHERE_TO_SET}",
        )
    if not await origins.allows(origin):
        raise ApiError(
            403,
            "origin_not_allowed",
            f"a storefront key is accepted only from the shop's origins, not from "
            f"{origin or 'a request without an Origin header'}: {WHERE_TO_SET}",
        )


def check_event_types(payload: Any) -> None:
    """403 for a body holding an event type a storefront key may not send (an `order_paid`,
    a `cart_abandoned`), before the events are validated: the answer names this rule, not a
    field the event lacks. A type missing or not a string is left for validation to name."""
    batch = isinstance(payload, dict) and isinstance(payload.get("events"), list)
    events = payload["events"] if batch else [payload]
    for index, event in enumerate(events):
        kind = event.get("event") if isinstance(event, dict) else None
        if isinstance(kind, str) and kind not in STOREFRONT_EVENTS:
            where = f"events.{index}.event" if batch else "event"
            raise ApiError(
                403,
                "event_not_allowed",
                f"{where}: a storefront key may post only cart_updated and checkout_started "
                f"events, not {kind[:100]} (send it from the shop's server with an ingest "
                "token)",
            )


def check_events(events: Iterable[Event], *, batch: bool) -> None:
    """403 for cart activity a storefront key may not report: a paid checkout."""
    for index, event in enumerate(events):
        where = f"events.{index}.data" if batch else "data"
        assert isinstance(event, CartActivityEvent), "check_event_types let it through"
        if event.data.completed_at is not None:
            raise ApiError(
                403,
                "event_not_allowed",
                f"{where}.completed_at: a storefront key cannot report a paid checkout "
                "(send order events from the shop's server with an ingest token)",
            )
