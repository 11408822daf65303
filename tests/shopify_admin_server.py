"""A loopback stand-in for Shopify's GraphQL Admin API: a threaded HTTP server that answers
`POST /admin/api/{version}/graphql.json` as Shopify does (401 for a wrong access token, GraphQL
`errors` for an operation it does not know, `data` otherwise). It dispatches on the GraphQL
operation name to a handler; webhook subscriptions are built in, and a test adds handlers for
the operations it needs (`server.handlers["discountCodeBasicCreate"] = ...`)."""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[[dict[str, Any]], dict[str, Any]]  # variables -> the response's `data`
TOKEN = "shpat_loopback_test_token"
INVALID_TOKEN = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}


@dataclass
class Request:
    path: str
    token: str | None
    operation: str | None
    variables: dict[str, Any]


@dataclass
class AdminApi:
    """What the server knows and was asked."""

    token: str = TOKEN
    page_size: int = 2  # small, so listing pages through
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    # userErrors to answer for a topic's webhookSubscriptionCreate, e.g. a refused address
    refuse: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    handlers: dict[str, Handler] = field(default_factory=dict)
    url: str = ""

    def __post_init__(self) -> None:
        self.handlers.setdefault("BoomerangWebhookSubscriptions", self._list)
        self.handlers.setdefault("BoomerangWebhookSubscriptionCreate", self._create)

    def subscribe(self, topic: str, callback_url: str) -> None:
        number = len(self.subscriptions) + 1
        self.subscriptions.append({
            "id": f"gid://shopify/WebhookSubscription/{number}", "topic": topic,
            "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": callback_url},
        })  # fmt: skip

    def _list(self, variables: dict[str, Any]) -> dict[str, Any]:
        start = int(variables.get("after") or 0)
        page = self.subscriptions[start : start + self.page_size]
        end = start + len(page)
        return {"webhookSubscriptions": {
            "nodes": page,
            "pageInfo": {"hasNextPage": end < len(self.subscriptions), "endCursor": str(end)},
        }}  # fmt: skip

    def _create(self, variables: dict[str, Any]) -> dict[str, Any]:
        topic = variables["topic"]
        if errors := self.refuse.get(topic):
            return {
                "webhookSubscriptionCreate": {"webhookSubscription": None, "userErrors": errors}
            }
        self.subscribe(topic, variables["webhookSubscription"]["callbackUrl"])
        created = {"id": self.subscriptions[-1]["id"], "topic": topic}
        return {"webhookSubscriptionCreate": {"webhookSubscription": created, "userErrors": []}}


@contextmanager
def shopify_admin_server(api: AdminApi | None = None) -> Iterator[AdminApi]:
    """Serve `api` on 127.0.0.1 (a free port) for the block; `api.url` is its address."""
    state = api or AdminApi()

    class _Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            token = self.headers.get("X-Shopify-Access-Token")
            operation = body.get("operationName")
            state.requests.append(Request(self.path, token, operation, body.get("variables") or {}))
            if token != state.token:
                return self._answer(401, INVALID_TOKEN)
            if not self.path.endswith("/graphql.json") or operation not in state.handlers:
                message = f"No operation named {operation!r} on {self.path}"
                return self._answer(200, {"errors": [{"message": message}]})
            return self._answer(
                200, {"data": state.handlers[operation](body.get("variables") or {})}
            )

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
