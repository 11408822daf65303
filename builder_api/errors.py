"""Every 4xx answer has a stable `code` and a human `message`."""

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from builder_api.schemas.errors import ErrorOut, ProblemOut
from engine.language.problems import Problem
from engine.service.errors import Conflict, DeliveryFailed, InvalidInput, NotFound, Unavailable


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        problems: list[Problem] | None = None,
        *,
        headers: dict[str, str] | None = None,  # e.g. `Retry-After` with a 429
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = problems or []
        self.headers = headers


def error_body(code: str, message: str, problems: list[Problem] | None = None) -> dict[str, Any]:
    return ErrorOut(
        code=code,
        message=message,
        problems=[ProblemOut(**vars(problem)) for problem in problems or []],
    ).model_dump(exclude_none=True)


def field_path(location: tuple[Any, ...]) -> str:
    """`("body", "data", "items", 0, "price")` → `data.items.0.price`, without union tags."""
    parts = [
        str(part)
        for part in location
        if part != "body" and not (isinstance(part, str) and "[" in part)
    ]
    return ".".join(parts)


def validation_problems(errors: list[Any]) -> list[Problem]:
    return [
        Problem(field=field_path(tuple(e["loc"])), message=_our_words(e["msg"])) for e in errors
    ]


def _our_words(message: str) -> str:
    """A validator's own message, without the prefix pydantic adds to it."""
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def served_methods(request: Request) -> set[str]:
    """The methods the API serves at this request's path (none: no such path)."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        if isinstance(context.original_route, APIRoute):
            match, _ = context.matches(dict(request.scope))
            if match is not Match.NONE:
                methods |= context.methods or set()
    return methods


UI_METHODS = "GET, HEAD"
HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
}


def install_error_handlers(
    app: FastAPI, check_caller_first: Callable[[Request], Awaitable[None]] | None = None
) -> None:
    """`check_caller_first` raises an `ApiError` (401/403) for a caller the matched route does
    not admit: called before answering for a body FastAPI could not read, which it reports
    before any dependency (and so the role check) ran."""

    def _answer(error: ApiError) -> JSONResponse:
        body = error_body(error.code, error.message, error.problems)
        return JSONResponse(body, error.status, headers=error.headers)

    async def _refused(request: Request) -> JSONResponse | None:
        if check_caller_first is None:
            return None
        try:
            await check_caller_first(request)
        except ApiError as refused:
            return _answer(refused)
        return None

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return _answer(error)

    @app.exception_handler(InvalidInput)
    async def _invalid(_request: Request, error: InvalidInput) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message, error.problems), 422)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(error_body("not_found", str(error)), 404)

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, error: Conflict) -> JSONResponse:
        return JSONResponse(error_body(error.code, str(error)), 409)

    @app.exception_handler(Unavailable)
    async def _unavailable(_request: Request, error: Unavailable) -> JSONResponse:
        body = error_body("temporal_unavailable", f"{error}; retry the same request later")
        return JSONResponse(body, 503, headers={"Retry-After": "5"})

    @app.exception_handler(DeliveryFailed)
    async def _delivery(_request: Request, error: DeliveryFailed) -> JSONResponse:
        if error.retryable:
            body = error_body("email_deferred", f"{error}; try again later")
            return JSONResponse(body, 503, headers={"Retry-After": "30"})
        return JSONResponse(error_body("email_rejected", str(error)), 502)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> JSONResponse:
        if refused := await _refused(request):
            return refused
        errors = list(error.errors())
        if any(e["type"] == "json_invalid" for e in errors):
            detail = errors[0].get("ctx", {}).get("error", "")
            message = f"the body is not JSON: {detail} (at position {errors[0]['loc'][-1]})"
            return JSONResponse(error_body("invalid_json", message), 400)
        problems = validation_problems(errors)
        first = problems[0] if problems else Problem("", "invalid request")
        message = f"{first.field}: {first.message}" if first.field else first.message
        return JSONResponse(error_body("invalid_request", message, problems), 422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, error: HTTPException) -> JSONResponse:
        # 400 and 413: a body FastAPI could not read, before the role check ran.
        if error.status_code in (400, 413) and (refused := await _refused(request)):
            return refused
        if error.status_code in (404, 405) and not isinstance(request.scope.get("route"), APIRoute):
            # The UI, mounted at /, answers every path no route took: 405 for all but GET,
            # also where a route serves the path with other methods (TRACE /healthz).
            if (unrouted := _unrouted(request)) is not None:
                return unrouted
        code = HTTP_CODES.get(error.status_code, "http_error")
        headers = error.headers
        if error.status_code == 405 and not headers:
            headers = {"Allow": UI_METHODS}  # the UI's static files: RFC 9110 wants `Allow`
        return JSONResponse(error_body(code, str(error.detail)), error.status_code, headers=headers)

    def _unrouted(request: Request) -> JSONResponse | None:
        methods = served_methods(request)
        if not methods:
            if not request.url.path.startswith("/api/"):
                return None  # a page of the UI, or no such page
            message = f"no such API path: {request.url.path}"
            return JSONResponse(error_body("not_found", message), 404)
        allowed = ", ".join(sorted(methods))
        message = f"{request.method} is not served here (use {allowed})"
        body = error_body("method_not_allowed", message)
        return JSONResponse(body, 405, headers={"Allow": allowed})

    @app.exception_handler(DataError)
    async def _data(_request: Request, error: DataError) -> JSONResponse:
        # The database refused a value the caller sent that the validation let through:
        # PostgreSQL takes no NUL character in text, nor an integer beyond its range.
        reason = str(error.orig).splitlines()[0] if error.orig else "invalid value"
        message = f"a value in this request cannot be stored or looked up: {reason}"
        return JSONResponse(error_body("invalid_value", message), 422)
