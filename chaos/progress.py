"""Where a long chaos run is, on stderr as it goes (the figures come on stdout at the end)."""

import sys
import time

_BEGAN = time.monotonic()


def note(text: str) -> None:
    seconds = time.monotonic() - _BEGAN
    print(f"[chaos {seconds:5.0f} s] {text}", file=sys.stderr, flush=True)  # noqa: T201
