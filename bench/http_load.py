"""Load over HTTP for the ingestion benchmark: keep-alive connections posting events, jobs
run a few at a time, and what a run measured (rates, latencies, CPU per event)."""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bench.measured_stack import INGEST_TOKEN, PROCESSES, Stack, cpu_seconds, cpu_since, settle


class Connection:
    """One keep-alive HTTP/1.1 connection: the least a client can spend per request, so the
    client (which would run elsewhere in production) takes as little CPU as possible from
    the processes measured."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post_events(self, body: bytes) -> tuple[int, bytes]:
        return await self.request("POST", "/api/v1/events", INGEST_TOKEN, body)

    async def request(
        self, method: str, path: str, token: str, body: bytes = b""
    ) -> tuple[int, bytes]:
        """(status, body) of one request with this bearer token."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            f"{method} {path} HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Timing:
    label: str
    events: int
    requests: int
    concurrency: int
    seconds: float
    latencies: list[float]
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process
    settled: float | None = None  # seconds until the worker ran each journey's first task

    @property
    def rate(self) -> float:
        return self.events / self.seconds

    @property
    def settled_rate(self) -> float | None:
        return self.events / self.settled if self.settled else None

    def row(self) -> str:
        median = statistics.median(self.latencies) * 1000
        p95 = statistics.quantiles(self.latencies, n=20)[-1] * 1000 if self.requests > 1 else median
        settled = f"{self.settled_rate:,.0f}/s" if self.settled_rate else "–"
        return (
            f"| {self.label} | {self.events:,} | {self.requests:,} | {self.concurrency} "
            f"| {self.seconds:,.2f} s | **{self.rate:,.0f}/s** | {settled} | {median:,.1f} ms "
            f"| {p95:,.1f} ms |"
        )

    def cpu_row(self) -> str:
        """CPU milliseconds per event, by process."""
        per = {name: 1000 * used / self.events for name, used in self.cpu.items()}
        cells = " | ".join(f"{per.get(name, 0):,.2f}" for name in PROCESSES)
        return f"| {self.label} | {cells} | {sum(per.values()):,.2f} |"


Job = Callable[[Connection], Awaitable[int]]


Probe = Callable[[], Awaitable[bool]]


async def run_jobs(
    stack: Stack,
    label: str,
    jobs: list[Job],
    concurrency: int,
    settled: Probe | None = None,
    progress: Callable[[int], None] | None = None,
) -> Timing:
    """Run the jobs, `concurrency` at a time (one connection each); each returns how many
    events it carried (`progress`, if given, hears the running total). With `settled`, also
    time until it answers True (polled), and count the CPU used until then."""
    await settle(stack)
    queue = iter(jobs)
    latencies: list[float] = []
    counted = 0
    connections = [Connection(stack.settings.port) for _ in range(concurrency)]

    async def runner(connection: Connection) -> None:
        nonlocal counted
        for job in queue:
            started = time.perf_counter()
            carried = await job(connection)
            latencies.append(time.perf_counter() - started)
            counted += carried
            if progress is not None:
                progress(counted)

    cpu_before = cpu_seconds(stack.pids)
    began = time.perf_counter()
    try:
        async with asyncio.TaskGroup() as group:
            for connection in connections:
                group.create_task(runner(connection))
    finally:
        for connection in connections:
            connection.close()
    elapsed = time.perf_counter() - began
    until_settled = None
    if settled is not None:
        while True:
            asked = time.perf_counter()
            if await settled():
                break
            # A count over many journeys costs the server: poll at most a fifth of the time.
            await asyncio.sleep(max(0.05, 4 * (time.perf_counter() - asked)))
        until_settled = time.perf_counter() - began
    cpu = cpu_since(stack.pids, cpu_before)
    return Timing(label, counted, len(jobs), concurrency, elapsed, latencies, cpu, until_settled)
