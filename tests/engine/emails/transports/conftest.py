from collections.abc import Iterator

import pytest

from tests.brevo_server import BrevoServer, running_brevo


@pytest.fixture
def brevo() -> Iterator[BrevoServer]:
    """A loopback Brevo the real brevo-python client talks to."""
    with running_brevo() as server:
        yield server
