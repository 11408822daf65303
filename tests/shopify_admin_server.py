"""A loopback Shopify GraphQL Admin API: `POST /admin/api/{version}/graphql.json`.

Tests point the real code at it (BOOMERANG_SHOPIFY_SHOP set to its `http://127.0.0.1:PORT`).
It is not a GraphQL engine: it tells the documents Boomerang sends apart by their root field
and answers them with the bodies shopify.dev documents:

- `webhookSubscriptions(first:, after:)` → a page (`page_size`) of `subscriptions`, with
  `pageInfo`; `webhookSubscriptionCreate(topic:, webhookSubscription:)` → the new
  subscription, or the userErrors a test set for that topic (`refused_topics`);
- `discountCodeBasicCreate(basicCodeDiscount:)` → `{"codeDiscountNode": {"id":
  "gid://shopify/DiscountCodeNode/N"}, "userErrors": []}`, or `userErrors`
  (`{field, code, message}`) for a taken code, a blank required field, a percentage outside
  0–1 or an end before the start;
- `codeDiscountNodeByCode(code:)` → the node or null (codes match regardless of case);
- `customers(first:, query: "email:...")` → `{"customers": {"nodes": [{"id": ...}]}}`.

Like Shopify it answers 401 `{"errors": "[API] Invalid API key or access token ..."}` to a
wrong `X-Shopify-Access-Token`, and 200 with an `ACCESS_DENIED` error when the token lacks a
field's scope (`scopes`; the wording of that message is modelled on Shopify's, not copied
from a capture). It can be told to answer the next requests with any status (`fail_next`:
429 with Retry-After, 403, 500...), to throttle them the GraphQL way (`throttle_next`: 200
with a `THROTTLED` error and the bucket's state in `extensions.cost`), to refuse the next
discount create with given userErrors (`refuse_next_create`), to create the next code and
then break the connection (`drop_next_create`: the answer lost on its way back), or to hold
an answer back (`stall_next`). Every request is recorded.
"""

import itertools
import re
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.loopback_http import Answer, Fault, Loopback, Request, running

ACCESS_TOKEN = "shpat_loopback_test"
API_PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/graphql\.json$")
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
REQUIRED = ("title", "code", "startsAt", "customerGets")
# The scope each root field needs (write_discounts includes read_discounts); the webhook
# topics' own read scopes are not modelled.
SCOPES: dict[str, str | None] = {
    "webhookSubscriptions": None, "webhookSubscriptionCreate": None,
    "discountCodeBasicCreate": "write_discounts", "codeDiscountNodeByCode": "read_discounts",
    "customers": "read_customers",
}  # fmt: skip
COST = {"requestedQueryCost": 10, "actualQueryCost": 10,
        "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1990.0,
                           "restoreRate": 100.0}}  # fmt: skip


@dataclass
class ShopifyAdminServer(Loopback):
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = 2  # small, so listing pages through
    # userErrors to answer for a topic's webhookSubscriptionCreate, e.g. a refused address
    refused_topics: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    discounts: list[dict[str, Any]] = field(default_factory=list)  # the input, plus `id`
    customers: dict[str, str] = field(default_factory=dict)  # email → customer gid
    scopes: set[str] = field(default_factory=lambda: {"write_discounts", "read_customers"})
    _refusals: deque[list[dict[str, Any]]] = field(default_factory=deque)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1057371))

    def subscribe(self, topic: str, callback_url: str) -> None:
        number = len(self.subscriptions) + 1
        self.subscriptions.append({
            "id": f"gid://shopify/WebhookSubscription/{number}", "topic": topic,
            "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": callback_url},
        })  # fmt: skip

    def add_customer(self, email: str) -> str:
        gid = f"gid://shopify/Customer/{next(self._ids)}"
        self.customers[email] = gid
        return gid

    def fail_next(self, status: int, times: int = 1, *, retry_after: str | None = None) -> None:
        """Answer the next `times` requests with `status` (before looking at them)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = {"errors": INVALID_TOKEN if status == 401 else f"loopback {status}"}
        self._add(Fault(Answer(status, body, headers)) for _ in range(times))

    def throttle_next(
        self, times: int = 1, *, requested: int = 10, available: float = 0.0, rate: float = 100.0
    ) -> None:
        """Answer the next requests as a drained bucket: 200, `THROTTLED`, no data."""
        body = {
            "errors": [{"message": "Throttled", "extensions": {
                "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"}}],
            "extensions": {"cost": {
                "requestedQueryCost": requested, "actualQueryCost": None,
                "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": available,
                                   "restoreRate": rate}}},
        }  # fmt: skip
        self._add(Fault(Answer(200, body)) for _ in range(times))

    def refuse_next_create(self, *user_errors: dict[str, Any]) -> None:
        """Answer the next `discountCodeBasicCreate` with these userErrors."""
        with self._lock:
            self._refusals.append(list(user_errors))

    def creates(self) -> int:
        """How many `discountCodeBasicCreate` requests arrived."""
        return self.operations().count("discountCodeBasicCreate")

    def operations(self) -> list[str]:
        """The root field of each GraphQL request received, in order."""
        return [_root_field(r.body.get("query", "")) or "?" for r in self.requests
                if isinstance(r.body, dict)]  # fmt: skip

    def tokens(self) -> set[tuple[str, str | None]]:
        """The (path, access token) pairs the requests came with."""
        return {(r.path, r.headers.get("x-shopify-access-token")) for r in self.requests}

    def created(self, answer: Answer) -> bool:
        data = answer.body.get("data") if isinstance(answer.body, dict) else None
        return bool(((data or {}).get("discountCodeBasicCreate") or {}).get("codeDiscountNode"))

    def answer(self, request: Request) -> Answer:
        if request.method != "POST" or not API_PATH.match(request.path):
            return Answer(404, {"errors": "Not Found"})
        if request.headers.get("x-shopify-access-token") != ACCESS_TOKEN:
            return Answer(401, {"errors": INVALID_TOKEN})
        body = request.body if isinstance(request.body, dict) else {}
        root, variables = _root_field(body.get("query", "")), body.get("variables") or {}
        if root is None:
            unknown = {"message": "the loopback knows no such field",
                       "extensions": {"code": "undefinedField"}}  # fmt: skip
            return Answer(200, {"errors": [unknown]})
        scope = SCOPES[root]
        granted = (
            scope is None
            or scope in self.scopes
            or (scope == "read_discounts" and "write_discounts" in self.scopes)
        )
        if not granted:
            return Answer(200, _access_denied(root, str(scope)))
        handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "webhookSubscriptions": self._subscriptions,
            "webhookSubscriptionCreate": self._subscribe,
            "discountCodeBasicCreate": self._create,
            "codeDiscountNodeByCode": lambda v: self._find(str(v.get("code", ""))),
            "customers": lambda v: self._customers(str(v.get("query", ""))),
        }
        return Answer(200, {"data": handlers[root](variables), "extensions": {"cost": COST}})

    def _subscriptions(self, variables: dict[str, Any]) -> dict[str, Any]:
        start = int(variables.get("after") or 0)
        page = self.subscriptions[start : start + self.page_size]
        end = start + len(page)
        return {"webhookSubscriptions": {
            "nodes": page,
            "pageInfo": {"hasNextPage": end < len(self.subscriptions), "endCursor": str(end)},
        }}  # fmt: skip

    def _subscribe(self, variables: dict[str, Any]) -> dict[str, Any]:
        topic = variables["topic"]
        if errors := self.refused_topics.get(topic):
            return {
                "webhookSubscriptionCreate": {"webhookSubscription": None, "userErrors": errors}
            }
        self.subscribe(topic, variables["webhookSubscription"]["callbackUrl"])
        created = {"id": self.subscriptions[-1]["id"], "topic": topic}
        return {"webhookSubscriptionCreate": {"webhookSubscription": created, "userErrors": []}}

    def _create(self, variables: dict[str, Any]) -> dict[str, Any]:
        discount = next(iter(variables.values()), None) or {}
        errors = (self._refusals.popleft() if self._refusals else []) or _invalid(discount)
        if not errors and self._find(discount["code"])["codeDiscountNodeByCode"] is not None:
            errors = [{"field": ["basicCodeDiscount", "code"], "code": "TAKEN",
                       "message": "Code must be unique. Please try a different code."}]  # fmt: skip
        if errors:
            payload: dict[str, Any] = {"codeDiscountNode": None, "userErrors": errors}
        else:
            node_id = f"gid://shopify/DiscountCodeNode/{next(self._ids)}"
            self.discounts.append({**discount, "id": node_id})
            payload = {"codeDiscountNode": {"id": node_id}, "userErrors": []}
        return {"discountCodeBasicCreate": payload}

    def _find(self, code: str) -> dict[str, Any]:
        found = [d for d in self.discounts if d["code"].casefold() == code.casefold()]
        return {"codeDiscountNodeByCode": {"id": found[0]["id"]} if found else None}

    def _customers(self, query: str) -> dict[str, Any]:
        match = re.fullmatch(r'email:"?(.+?)"?', query.strip())
        gid = self.customers.get(match.group(1).replace('\\"', '"')) if match else None
        return {"customers": {"nodes": [{"id": gid}] if gid else []}}


def _root_field(query: str) -> str | None:
    """The first field the document selects (`webhookSubscriptionCreate(`...)."""
    match = re.search(r"\{\s*(\w+)\s*[({]", query)
    return match.group(1) if match and match.group(1) in SCOPES else None


def _access_denied(root: str, scope: str) -> dict[str, Any]:
    return {
        "data": {root: None},
        "errors": [{
            "message": f"Access denied for {root} field. Required access: `{scope}` access scope.",
            "path": [root],
            "extensions": {"code": "ACCESS_DENIED",
                           "documentation": "https://shopify.dev/api/usage/access-scopes"},
        }],
    }  # fmt: skip


def _invalid(discount: dict[str, Any]) -> list[dict[str, Any]]:
    """The userErrors Shopify gives an input it cannot accept (the ones modelled here)."""
    errors = [{"field": ["basicCodeDiscount", name], "code": "BLANK",
               "message": f"{name} can't be blank"}
              for name in REQUIRED if not discount.get(name)]  # fmt: skip
    if not (discount.get("customerSelection") or discount.get("context")):
        errors.append({"field": ["basicCodeDiscount", "customerSelection"], "code": "BLANK",
                       "message": "Customer selection can't be blank"})  # fmt: skip
    value = ((discount.get("customerGets") or {}).get("value") or {}).get("percentage")
    if value is not None and not 0 < float(value) <= 1:
        errors.append({"field": ["basicCodeDiscount", "customerGets", "value", "percentage"],
                       "code": "VALUE_OUTSIDE_RANGE",
                       "message": "Value must be between 0.0 and 1.0"})  # fmt: skip
    starts, ends = discount.get("startsAt"), discount.get("endsAt")
    if starts and ends and datetime.fromisoformat(ends) <= datetime.fromisoformat(starts):
        errors.append({"field": ["basicCodeDiscount", "endsAt"], "code": "INVALID",
                       "message": "End date must be after the start date"})  # fmt: skip
    return errors


@contextmanager
def running_shopify() -> Iterator[ShopifyAdminServer]:
    """A loopback Shopify Admin API on a free port, for the duration of the block."""
    with running(ShopifyAdminServer(), "loopback-shopify") as shop:
        yield shop
