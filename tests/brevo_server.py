"""A loopback Brevo: a real HTTP server on 127.0.0.1 speaking `POST /v3/smtp/email`.

Tests point the real brevo-python client at it (never a mocked client). Like Brevo it checks
the `api-key` header and the camelCase JSON body, and answers 201 `{"messageId": "<...>"}`,
400 `{"code": "missing_parameter" | "invalid_parameter", "message": ...}` or 401
`{"code": "unauthorized", ...}`. It can be told to fail the next requests (`fail_next`: any
status, e.g. 429 with Retry-After or 500) or to accept the next email and break the connection
before answering (`drop_next`: the answer lost on its way back).

Every request is recorded. Accepted emails are kept by the `idempotencyKey` in their `headers`:
Brevo documents that it processes a key once (within its TTL), so a repeated key sends nothing
and is answered with the first message id. What Brevo really answers to a repeat is not
documented; tests assert the key we sent as well as the count of emails.
"""

import json
import re
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "xkeysib-loopback-test"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: Any  # the parsed JSON, or the raw text when it is not JSON


@dataclass(frozen=True)
class Fault:
    status: int | None  # None: accept the email, then close the connection without answering
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


@dataclass
class BrevoServer:
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    emails: list[dict[str, Any]] = field(default_factory=list)  # accepted, one per email sent
    _ids_by_key: dict[str, str] = field(default_factory=dict)
    _faults: deque[Fault] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3"

    def fail_next(
        self, status: int, times: int = 1, *, retry_after: int | None = None, code: str = ""
    ) -> None:
        """Answer the next `times` requests with `status` (before looking at them)."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {"code": code or _default_code(status), "message": f"loopback {status}"}
        with self._lock:
            self._faults.extend(Fault(status, headers, body) for _ in range(times))

    def drop_next(self, times: int = 1) -> None:
        """Accept the next emails, then break the connection instead of answering."""
        with self._lock:
            self._faults.extend(Fault(None) for _ in range(times))

    def handle(self, request: Request) -> tuple[int | None, dict[str, str], dict[str, Any]]:
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
            if fault is not None and fault.status is not None:
                return fault.status, fault.headers, fault.body
            if request.method != "POST" or request.path != "/v3/smtp/email":
                return 404, {}, {"code": "not_found", "message": "no such endpoint"}
            if request.headers.get("api-key") != API_KEY:
                return 401, {}, {"code": "unauthorized", "message": "Key not found"}
            if problem := _invalid(request.body):
                return 400, {}, problem
            message_id = self._accept(request.body)
            if fault is not None:  # accepted, but the answer never arrives
                return None, {}, {}
            return 201, {}, {"messageId": message_id}

    def _accept(self, body: dict[str, Any]) -> str:
        key = (body.get("headers") or {}).get("idempotencyKey")
        if key and key in self._ids_by_key:
            return self._ids_by_key[key]
        message_id = f"<20260101120000.{len(self.emails) + 1:012d}@smtp-relay.mailin.fr>"
        self.emails.append({**body, "messageId": message_id})
        if key:
            self._ids_by_key[key] = message_id
        return message_id


def _default_code(status: int) -> str:
    return {400: "invalid_parameter", 401: "unauthorized", 402: "not_enough_credits",
            429: "too_many_requests"}.get(status, "internal_error")  # fmt: skip


def _invalid(body: Any) -> dict[str, str] | None:
    """Brevo's 400 for a body it cannot send."""
    if not isinstance(body, dict):
        return {"code": "bad_request", "message": "the body is not a JSON object"}
    sender, to = body.get("sender") or {}, body.get("to") or []
    for name, present in (
        ("sender", bool(sender.get("email"))),
        ("to", bool(to)),
        ("subject", bool(body.get("subject"))),
        ("htmlContent", bool(body.get("htmlContent") or body.get("textContent"))),
    ):
        if not present:
            return {"code": "missing_parameter", "message": f"{name} is missing"}
    for recipient in to:
        if not EMAIL.match(str(recipient.get("email", ""))):
            return {"code": "invalid_parameter", "message": "email is not valid in to"}
    headers = body.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        return {"code": "invalid_parameter", "message": "headers must be strings"}
    return None


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self._answer()

    def do_GET(self) -> None:
        self._answer()

    def _answer(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw
        request = Request(
            method=self.command,
            path=self.path,
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        status, headers, answer = self.server.brevo.handle(request)
        if status is None:
            self.close_connection = True
            return
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet test output


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    brevo: BrevoServer


@contextmanager
def running_brevo() -> Iterator[BrevoServer]:
    """A loopback Brevo on a free port, for the duration of the block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.brevo = BrevoServer(port=server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, name="loopback-brevo", daemon=True)
    thread.start()
    try:
        yield server.brevo
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
