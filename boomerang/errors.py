"""The one exception the client raises for an answer it does not like."""

from collections.abc import Sequence

import httpx
from pydantic import ValidationError

from builder_api.schemas.errors import ErrorOut, ProblemOut


class BoomerangError(Exception):
    """The API refused a call (any answer outside 2xx): its HTTP status, the stable `code`
    (`invalid_event`, `not_found`, `conflict`, ...), the message, and for bad input every
    problem with the field it names (`data.customer_email`, `events.1.data.total`)."""

    def __init__(
        self, status_code: int, code: str, message: str, problems: Sequence[ProblemOut] = ()
    ) -> None:
        super().__init__(f"{status_code} {code}: {message}")
        self.status_code, self.code, self.message = status_code, code, message
        self.problems = list(problems)

    @classmethod
    def from_response(cls, response: httpx.Response) -> "BoomerangError":
        """From the API's error body; an answer that is not one (a proxy's error page) keeps
        its status, with the code `http_error` and the start of its text."""
        try:
            error = ErrorOut.model_validate_json(response.content)
        except ValidationError:
            text = " ".join(response.text.split())[:200]
            return cls(response.status_code, "http_error", text or response.reason_phrase)
        return cls(response.status_code, error.code, error.message, error.problems)
