"""Every 4xx answer has a stable `code` and a human `message`."""

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from engine.service.errors import (
    Conflict,
    DeliveryFailed,
    InvalidInput,
    NotFound,
    Problem,
    Unavailable,
)


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.problems = problems or []


class ProblemOut(BaseModel):
    field: str
    message: str
    step_id: str | None = None
    line: int | None = None


class ErrorOut(BaseModel):
    code: str
    message: str
    problems: list[ProblemOut] = []


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
    return [Problem(field=field_path(tuple(e["loc"])), message=e["msg"]) for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message, error.problems), error.status)

    @app.exception_handler(InvalidInput)
    async def _invalid(_request: Request, error: InvalidInput) -> JSONResponse:
        return JSONResponse(error_body(error.code, error.message, error.problems), 422)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(error_body("not_found", str(error)), 404)

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, error: Conflict) -> JSONResponse:
        return JSONResponse(error_body("conflict", str(error)), 409)

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
    async def _validation(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = validation_problems(list(error.errors()))
        first = problems[0] if problems else Problem("", "invalid request")
        message = f"{first.field}: {first.message}" if first.field else first.message
        return JSONResponse(error_body("invalid_request", message, problems), 422)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, error: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse(error_body(code, str(error.detail)), error.status_code)
