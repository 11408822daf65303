"""The send_webhook action against a real HTTP server on the loopback interface."""

import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlmodel import select
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from engine.activities import send_webhook as send_webhook_module
from engine.activities.runner import build_activities
from engine.activities.send_webhook import SendWebhook
from engine.language.contracts import ActionRequest
from engine.runtime.settings import Settings
from engine.service import public_addresses
from engine.service.bootstrap import prepare
from engine.store.db import session_scope
from engine.store.models import WebhookDelivery

SECRET = "test-webhook-secret"


@dataclass
class Receiver:
    """Records every request; answers with the statuses queued in `answers` (then 200)."""

    url: str = ""
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append((dict(self.headers.items()), body))
            status, headers = received.answers.pop(0) if received.answers else (200, {})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/boomerang"
    yield received
    server.shutdown()
    server.server_close()
    thread.join()


def _activity(
    settings: Settings, secret: str = SECRET, allowed_hosts: tuple[str, ...] = ("127.0.0.1",)
) -> object:
    """The action as the worker runs it; the receiver's loopback host is allowed unless the
    test says otherwise."""
    prepare(settings)
    update = {"webhook_secret": secret, "webhook_allowed_hosts": list(allowed_hosts)}
    configured = settings.model_copy(update=update)
    [activity] = [a for a in build_activities(configured) if a.__name__ == "send_webhook"]
    return activity


def _request(url: str) -> ActionRequest:
    return ActionRequest(
        workflow_id="journey:aut_1:cart_1",
        step_id="hook-1",
        automation_id="aut_1",
        automation_version=1,
        cart_id="cart_1",
        customer_id="cus_1",
        params={"url": url, "event": "cart.reminded"},
    )


def _deliveries(settings: Settings) -> list[WebhookDelivery]:
    with session_scope(settings.resolved_database_url) as session:
        return list(session.exec(select(WebhookDelivery)).all())


async def test_a_signed_post_is_delivered_once(settings: Settings, receiver: Receiver) -> None:
    send_webhook = _activity(settings)
    env = ActivityEnvironment()

    first = await env.run(send_webhook, _request(receiver.url))
    retry = await env.run(send_webhook, _request(receiver.url))

    [(headers, body)] = receiver.requests
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Boomerang-Signature"] == f"sha256={expected}"
    assert headers["X-Boomerang-Idempotency-Key"] == "journey:aut_1:cart_1:hook-1"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "event": "cart.reminded",
        "journey_id": "journey:aut_1:cart_1",
        "step_id": "hook-1",
        "automation_id": "aut_1",
        "cart_id": "cart_1",
        "customer_id": "cus_1",
    }
    [delivery] = _deliveries(settings)
    assert (delivery.url, delivery.status_code) == (receiver.url, 200)
    assert first.model_dump() == {"status": "delivered", "delivery_id": delivery.id,
                                  "status_code": 200}  # fmt: skip
    assert retry.model_dump() == {**first.model_dump(), "repeated": True}


async def test_a_refused_post_fails_for_good(settings: Settings, receiver: Receiver) -> None:
    receiver.answers.append((400, {}))

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(_activity(settings), _request(receiver.url))

    assert failure.value.non_retryable
    assert _deliveries(settings) == []


@pytest.mark.parametrize("status", [408, 429, 500, 503])
async def test_a_busy_receiver_is_tried_again(
    settings: Settings, receiver: Receiver, status: int
) -> None:
    receiver.answers.append((status, {"Retry-After": "7"}))
    send_webhook = _activity(settings)

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(send_webhook, _request(receiver.url))
    assert not failure.value.non_retryable
    assert failure.value.next_retry_delay == timedelta(seconds=7)
    assert _deliveries(settings) == []

    retry = await ActivityEnvironment().run(send_webhook, _request(receiver.url))
    assert retry.status == "delivered"
    assert len(receiver.requests) == 2


async def test_an_unreachable_receiver_is_tried_again(settings: Settings) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(
            _activity(settings), _request(f"http://127.0.0.1:{port}/hook")
        )

    assert not failure.value.non_retryable


async def test_without_a_secret_nothing_is_posted(settings: Settings, receiver: Receiver) -> None:
    with pytest.raises(ApplicationError, match="BOOMERANG_WEBHOOK_SECRET") as failure:
        await ActivityEnvironment().run(_activity(settings, secret=""), _request(receiver.url))

    assert failure.value.non_retryable
    assert receiver.requests == []


@pytest.mark.parametrize("url", ["ftp://example.com/hook", "javascript:alert(1)", "/relative"])
def test_only_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(ValidationError):
        SendWebhook(url=url)  # type: ignore[arg-type]


# The full list of refused kinds is tests/engine/service/test_public_addresses.py's.
NOT_PUBLIC = {
    "127.0.0.1": "a loopback address",
    "169.254.169.254": "a cloud metadata address",
    "localhost": "the local machine",
}


@pytest.mark.parametrize(("host", "reason"), NOT_PUBLIC.items())
async def test_a_webhook_to_a_host_that_is_not_public_is_refused_for_good(
    settings: Settings, receiver: Receiver, host: str, reason: str
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    url = f"http://{host}:{port}/hooks/boomerang"

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(_activity(settings, allowed_hosts=()), _request(url))

    assert failure.value.non_retryable
    assert host in str(failure.value) and reason in str(failure.value)
    assert "BOOMERANG_WEBHOOK_ALLOWED_HOSTS" in str(failure.value)
    assert receiver.requests == []
    assert _deliveries(settings) == []


class FakeDns:
    """Answers `getaddrinfo` for one name (in turn: one answer per lookup, the last repeated),
    and passes every other name to the real resolver."""

    def __init__(self, name: str, *answers: str) -> None:
        self.name, self.answers, self.lookups = name, list(answers), 0
        self.real = socket.getaddrinfo

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != self.name:
            return self.real(host, port, *args, **kwargs)
        address = self.answers[min(self.lookups, len(self.answers) - 1)]
        self.lookups += 1
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]


async def test_a_name_that_resolves_to_a_private_address_is_refused(
    settings: Settings, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", FakeDns("hooks.example.test", "127.0.0.1"))
    port = receiver.url.split(":")[2].split("/")[0]

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(
            _activity(settings, allowed_hosts=()),
            _request(f"http://hooks.example.test:{port}/hook"),
        )

    assert failure.value.non_retryable
    assert "hooks.example.test resolves to 127.0.0.1, a loopback address" in str(failure.value)
    assert receiver.requests == []


async def test_the_post_goes_to_the_address_that_was_checked(
    settings: Settings, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name answers the receiver's address to the check, then a private
    one. The rule is relaxed for the receiver's loopback address (it plays a public one):
    the post must reach it, with the name as `Host`, after one lookup only."""
    dns = FakeDns("rebind.example.test", "127.0.0.1", "10.255.255.1")
    monkeypatch.setattr(socket, "getaddrinfo", dns)
    real_rule = public_addresses.why_not_public
    monkeypatch.setattr(
        public_addresses,
        "why_not_public",
        lambda address: None if str(address) == "127.0.0.1" else real_rule(address),
    )
    port = receiver.url.split(":")[2].split("/")[0]

    result = await ActivityEnvironment().run(
        _activity(settings, allowed_hosts=()),
        _request(f"http://rebind.example.test:{port}/hook"),
    )

    assert result.status == "delivered"
    [(headers, _body)] = receiver.requests
    assert headers["Host"] == f"rebind.example.test:{port}"
    assert dns.lookups == 1


async def test_an_allowed_host_is_posted_to_even_when_private(
    settings: Settings, receiver: Receiver
) -> None:
    localhost_url = receiver.url.replace("127.0.0.1", "localhost")

    result = await ActivityEnvironment().run(
        _activity(settings, allowed_hosts=("localhost",)), _request(localhost_url)
    )

    assert result.status == "delivered"
    assert len(receiver.requests) == 1


async def test_a_redirect_is_not_followed(settings: Settings, receiver: Receiver) -> None:
    receiver.answers.append((302, {"Location": "http://169.254.169.254/latest/meta-data/"}))

    with pytest.raises(ApplicationError) as failure:
        await ActivityEnvironment().run(_activity(settings), _request(receiver.url))

    assert failure.value.non_retryable
    assert "answered 302" in str(failure.value)
    assert len(receiver.requests) == 1


@dataclass
class TlsReceiver:
    url: str
    server_names: list[str | None]  # the name each TLS handshake asked for (SNI)
    trusted: ssl.SSLContext  # a client context that trusts the receiver's certificate


@pytest.fixture
def tls_receiver(tmp_path: Path) -> Iterator[TlsReceiver]:
    """An HTTPS receiver on 127.0.0.1 whose self-signed certificate names hooks.example.test."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=hooks.example.test", "-addext", "subjectAltName=DNS:hooks.example.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server_names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda _socket, name, _context: server_names.append(name)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    trusted = ssl.create_default_context(cafile=str(cert))
    yield TlsReceiver(f"https://hooks.example.test:{server.server_address[1]}/hook",
                      server_names, trusted)  # fmt: skip
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def pinned_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """hooks.example.test and other.example.test resolve to 127.0.0.1, which plays a public
    address here."""
    real_lookup, real_rule = socket.getaddrinfo, public_addresses.why_not_public

    def lookup(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in ("hooks.example.test", "other.example.test"):
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", int(port)))]
        return real_lookup(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(
        public_addresses,
        "why_not_public",
        lambda address: None if str(address) == "127.0.0.1" else real_rule(address),
    )


@pytest.mark.usefixtures("pinned_name")
async def test_tls_checks_the_certificate_against_the_urls_host_name(
    settings: Settings, tls_receiver: TlsReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connected to the checked address, the handshake still names the URL's host (SNI), and
    the certificate must be valid for it: one for another name fails the post."""
    monkeypatch.setattr(send_webhook_module, "VERIFY", tls_receiver.trusted)
    send_webhook = _activity(settings, allowed_hosts=())

    delivered = await ActivityEnvironment().run(send_webhook, _request(tls_receiver.url))
    other_name = tls_receiver.url.replace("hooks.example.test", "other.example.test")
    with pytest.raises(ApplicationError, match="certificate") as failure:
        await ActivityEnvironment().run(
            send_webhook, _request(other_name).model_copy(update={"step_id": "hook-2"})
        )

    assert delivered.status == "delivered"
    assert tls_receiver.server_names[0] == "hooks.example.test"
    assert not failure.value.non_retryable  # a certificate may be renewed: tried again
    assert len(_deliveries(settings)) == 1
