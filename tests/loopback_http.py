"""A real HTTP server on 127.0.0.1 for the loopback platforms (Shopify, WooCommerce).

The platform object answers each request with `handle(request) -> Answer`; an answer whose
status is None closes the connection without a word (the answer lost on its way back), and
`delay` holds it back (a stalled platform, for client timeouts). `Loopback` is what every
platform has: the requests it received, and the faults a test asks of it.
"""

import functools
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query
    query: dict[str, str]  # the first value of each parameter
    headers: dict[str, str]  # names in lower case
    body: Any  # the parsed JSON, or the raw text when it is not JSON


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: close the connection without answering
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Handle = Callable[[Request], Answer]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw
        url = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=url.path,
            query={name: values[0] for name, values in parse_qs(url.query).items()},
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        answer = self.server.answer_with(request)
        if answer.delay:
            time.sleep(answer.delay)
        if answer.status is None:
            self.close_connection = True
            return
        payload = json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    answer_with: Handle


@contextmanager
def serving(handle: Handle, name: str) -> Iterator[int]:
    """Serve `handle` on a free port (yielded) for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.answer_with = handle
    # A short poll: `shutdown` waits for it, at the end of every test.
    serve = functools.partial(server.serve_forever, poll_interval=0.02)
    thread = threading.Thread(target=serve, name=name, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass(frozen=True)
class Fault:
    answer: Answer | None = None  # answered instead of looking at the request
    delay: float = 0.0  # else: the real answer, this late


@dataclass
class Loopback:
    """A platform's recorded requests and its faults; a subclass answers with `answer` and
    says which answers `created` something."""

    port: int = 0
    requests: list[Request] = field(default_factory=list)
    _faults: deque[Fault] = field(default_factory=deque)
    _drops: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def drop_next_create(self) -> None:
        """Create the next one, then close the connection without answering."""
        with self._lock:
            self._drops += 1

    def stall_next(self, seconds: float) -> None:
        """Hold the next answer back for `seconds`."""
        self._add([Fault(delay=seconds)])

    def handle(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
            if fault is not None and fault.answer is not None:
                return fault.answer
            answer = self.answer(request)
            if self._drops and self.created(answer):
                self._drops -= 1
                return Answer(None)  # made, but the answer never arrives
            return replace(answer, delay=fault.delay) if fault is not None else answer

    def answer(self, request: Request) -> Answer:
        raise NotImplementedError

    def created(self, answer: Answer) -> bool:
        raise NotImplementedError

    def _add(self, faults: Iterable[Fault]) -> None:
        with self._lock:
            self._faults.extend(faults)


Platform = TypeVar("Platform", bound=Loopback)


@contextmanager
def running(platform: Platform, name: str) -> Iterator[Platform]:
    """`platform` served on a free port for the duration of the block."""
    with serving(platform.handle, name) as port:
        platform.port = port
        yield platform
