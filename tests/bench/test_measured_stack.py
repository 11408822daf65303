"""What the benchmarks read of a process: its own CPU and memory and its descendants'."""

import os
import signal
import subprocess
import sys

from bench.measured_stack import cpu_seconds, memory_mib, with_descendants

# A parent that starts a child; the child burns CPU and holds 64 MiB, then both wait.
FAMILY = """
import subprocess, sys
child = subprocess.Popen([sys.executable, "-c", '''
import time
held = bytearray(64 * 1024 * 1024)
end = time.process_time() + 0.5
while time.process_time() < end:
    pass
print("done", flush=True)
time.sleep(60)
'''], stdout=sys.stdout)
child.wait()
"""


def test_a_process_counts_with_its_descendants() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", FAMILY], stdout=subprocess.PIPE, stdin=subprocess.DEVNULL
    ) as parent:
        try:
            assert parent.stdout is not None
            assert parent.stdout.readline() == b"done\n"
            family = with_descendants(parent.pid)
            assert len(family) == 2 and family[0] == parent.pid

            used = cpu_seconds({"family": parent.pid})
            resident = memory_mib({"family": parent.pid})

            assert used["family"] >= 0.45  # the child's half second
            assert resident["family"] >= 64
            # This process is measured alone: its children are measured under their names.
            assert set(used) == set(resident) == {"family", "client"}
        finally:
            for pid in reversed(with_descendants(parent.pid)):
                os.kill(pid, signal.SIGTERM)


def test_a_process_that_is_gone_is_left_out() -> None:
    gone = 2**22 + 1  # above the largest pid the kernel gives

    assert "gone" not in cpu_seconds({"gone": gone})
    assert "gone" not in memory_mib({"gone": gone})
