"""Errors the use cases raise for the API to answer with a 4xx."""

from dataclasses import dataclass, field

from engine.language.problems import Problem


@dataclass
class InvalidInput(Exception):
    code: str
    message: str
    problems: list[Problem] = field(default_factory=list)


class NotFound(Exception):
    pass


class Conflict(Exception):
    """The request cannot apply to the resource as it is now (e.g. a journey that ended).

    `code` is the stable name of the reason the API answers with (default `conflict`)."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.code = code


class Unavailable(Exception):
    """A dependency (Temporal) cannot be reached: try again later, nothing was written."""


class DeliveryFailed(Exception):
    """The email provider did not take an email the caller asked for (a test send)."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable
