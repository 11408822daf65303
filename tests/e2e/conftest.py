"""The `stack` fixture: a private `boomerang dev`, killed for good after the test."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.stack import DevStack


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[DevStack]:
    stack = DevStack(tmp_path)
    yield stack
    stack.stop_for_good()
