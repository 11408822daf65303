"""What is wrong with what a caller sent, in words they read: the checks of the language
(definitions, templates) and the use cases report problems in this one shape."""

from dataclasses import dataclass


@dataclass
class Problem:
    """One thing wrong with what the caller sent; `field` is a dotted path into it."""

    field: str
    message: str
    step_id: str | None = None
    line: int | None = None  # in the template source the field names
