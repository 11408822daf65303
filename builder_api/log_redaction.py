"""Keep link tokens and shared secrets out of the access log.

uvicorn's access log writes each request's path and query: `/r/<token>` and `/u/<token>`
carry a link's token, a cart restore `?token=`, Brevo's webhook may carry `?secret=`. Whoever
reads the logs must not be able to follow a customer's link or call the webhook, so these
parts are replaced before the line is written, in every process that serves the app.
"""

import logging
import re

REDACTED = "[redacted]"
_LINK_PATH = re.compile(r"^/([ru])/[^?#]*")
_SECRET_PARAMETER = re.compile(r"([?&](?:token|secret)=)[^&#\s]*", re.IGNORECASE)
ACCESS_LOGGER = "uvicorn.access"


def redact(path: str) -> str:
    """`/r/abc.def?x=1` → `/r/[redacted]?x=1`; `...?token=abc` → `...?token=[redacted]`."""
    path = _LINK_PATH.sub(lambda found: f"/{found.group(1)}/{REDACTED}", path)
    return _SECRET_PARAMETER.sub(lambda found: found.group(1) + REDACTED, path)


class RedactTokens(logging.Filter):
    """Rewrites the request line's arguments (uvicorn passes the path as one of them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact(value) if isinstance(value, str) else value for value in record.args
            )
        return True


def redact_access_log() -> None:
    """Install the filter once per process (the app may be created more than once)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
        logger.addFilter(RedactTokens())
