"""One request body limit for every route (BOOMERANG_MAX_BODY_BYTES), as an ASGI middleware.

A declared `Content-Length` over the limit is answered 413 before anything is read. A body
without one (chunked) is counted as it arrives: the chunk that crosses the limit raises
`BodyTooLarge` inside the app, which answers it as its other errors (413 `body_too_large`,
after the caller check: an anonymous caller still hears 401). Nothing reads more than the
limit, so a client cannot make the API hold an endless body in memory.
"""

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from builder_api.errors import error_body
from engine.runtime.settings import Settings


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (
        f"the body is over {limit:,} bytes (BOOMERANG_MAX_BODY_BYTES): send less at a time, "
        "e.g. smaller batches of events"
    )


class BodyLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.settings.max_body_bytes
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refusal(limit)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if started:  # too late to answer 413: let the server close the connection
                raise
            await _refusal(limit)(scope, receive, send)


def _refusal(limit: int) -> JSONResponse:
    return JSONResponse(error_body("body_too_large", too_large_message(limit)), 413)
