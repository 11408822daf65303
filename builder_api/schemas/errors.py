"""What every 4xx and 5xx answer carries: a stable `code`, a human `message`, and for bad
input every problem with the field it names."""

from pydantic import BaseModel


class ProblemOut(BaseModel):
    field: str
    message: str
    step_id: str | None = None
    line: int | None = None


class ErrorOut(BaseModel):
    code: str
    message: str
    problems: list[ProblemOut] = []
