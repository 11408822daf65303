"""The access log keeps no link token and no secret: uvicorn's own access-log line, written
through the logger the app's filter sits on."""

import io
import logging
from collections.abc import Iterator

import pytest
from uvicorn.logging import AccessFormatter

from builder_api.log_redaction import ACCESS_LOGGER, redact, redact_access_log

TOKEN = "WzEsInIiLCJjYXJ0XzEiLCJqOmE6YzplIiwwXQ.c2lnbmF0dXJlLW9mLXRoZS1saW5r"


@pytest.fixture
def access_log() -> Iterator[io.StringIO]:
    """uvicorn's access logger, formatted as uvicorn formats it, into a string."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s'))
    logger = logging.getLogger(ACCESS_LOGGER)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    redact_access_log()
    yield written
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (f"/r/{TOKEN}", "/r/[redacted]"),
        (f"/u/{TOKEN}", "/u/[redacted]"),
        (f"/u/{TOKEN}?List-Unsubscribe=One-Click", "/u/[redacted]?List-Unsubscribe=One-Click"),
        (f"/api/v1/carts/c1/restore?token={TOKEN}", "/api/v1/carts/c1/restore?token=[redacted]"),
        (f"/api/v1/webhooks/brevo?x=1&secret={TOKEN}", "/api/v1/webhooks/brevo?x=1&secret=[redacted]"),  # noqa: E501
        ("/api/v1/automations?status=active", "/api/v1/automations?status=active"),
        ("/rules/r/x", "/rules/r/x"),
    ],
)  # fmt: skip
def test_tokens_in_request_paths_are_redacted_in_the_access_log(
    access_log: io.StringIO, path: str, shown: str
) -> None:
    # As uvicorn's httptools and h11 protocols log a request.
    logging.getLogger(ACCESS_LOGGER).info(
        '%s - "%s %s HTTP/%s" %d', "203.0.113.7:5000", "GET", path, "1.1", 302
    )

    line = access_log.getvalue()
    assert f"GET {shown} HTTP/1.1" in line
    assert TOKEN not in line


def test_the_filter_is_installed_once_however_many_apps_are_made() -> None:
    redact_access_log()
    redact_access_log()

    filters = logging.getLogger(ACCESS_LOGGER).filters
    assert len([f for f in filters if type(f).__name__ == "RedactTokens"]) == 1
    assert redact(f"/r/{TOKEN}") == "/r/[redacted]"
