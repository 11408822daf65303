"""A loopback Shopify Admin API for discount codes: `POST /admin/api/{version}/graphql.json`.

Tests point the real ShopifyAPI-based provider at it (BOOMERANG_SHOPIFY_SHOP set to its
`http://127.0.0.1:PORT`). It is not a GraphQL engine: it answers the three documents the
discount provider sends, told apart by the root field they select, with the bodies
shopify.dev documents:

- `discountCodeBasicCreate(basicCodeDiscount:)` → `{"data": {"discountCodeBasicCreate":
  {"codeDiscountNode": {"id": "gid://shopify/DiscountCodeNode/N"}, "userErrors": []}}}`, or
  `userErrors` (`{field, code, message}`) for a taken code, a blank required field, a
  percentage outside 0–1 or an end before the start;
- `codeDiscountNodeByCode(code:)` → the node or null (codes match regardless of case);
- `customers(first:, query: "email:...")` → `{"customers": {"nodes": [{"id": ...}]}}`.

Like Shopify it answers 401 `{"errors": "[API] Invalid API key or access token ..."}` to a
wrong `X-Shopify-Access-Token`, and 200 with an `ACCESS_DENIED` error when the token lacks a
field's scope (`scopes`; the wording of that message is modelled on Shopify's, not copied
from a capture). It can be told to answer the next requests with any status (`fail_next`:
429 with Retry-After, 403, 500...), to throttle them the GraphQL way (`throttle_next`: 200
with a `THROTTLED` error and the bucket's state in `extensions.cost`), to refuse the next
create with given userErrors (`refuse_next_create`), to create the next code and then
break the connection (`drop_next_create`: the answer lost on its way back), or to hold an
answer back (`stall_next`). Every request is recorded.
"""

import itertools
import re
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from tests.loopback_http import Answer, Request, serving

ACCESS_TOKEN = "shpat_loopback_test"
API_PATH = re.compile(r"^/admin/api/(\d{4}-\d{2}|unstable)/graphql\.json$")
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
REQUIRED = ("title", "code", "startsAt", "customerGets")
# The scope each root field needs (write_discounts includes read_discounts).
SCOPES = {"discountCodeBasicCreate": "write_discounts", "codeDiscountNodeByCode": "read_discounts",
          "customers": "read_customers"}  # fmt: skip
COST = {"requestedQueryCost": 10, "actualQueryCost": 10,
        "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1990.0,
                           "restoreRate": 100.0}}  # fmt: skip


@dataclass(frozen=True)
class Fault:
    answer: Answer | None = None  # answered instead of looking at the request
    delay: float = 0.0  # else: the real answer, this late


@dataclass
class ShopifyDiscountServer:
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    discounts: list[dict[str, Any]] = field(default_factory=list)  # the input, plus `id`
    customers: dict[str, str] = field(default_factory=dict)  # email → customer gid
    scopes: set[str] = field(default_factory=lambda: {"write_discounts", "read_customers"})
    _faults: deque[Fault] = field(default_factory=deque)
    _refusals: deque[list[dict[str, Any]]] = field(default_factory=deque)
    _drops: int = 0
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1057371))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

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

    def drop_next_create(self) -> None:
        """Create the next code, then close the connection without answering."""
        with self._lock:
            self._drops += 1

    def stall_next(self, seconds: float) -> None:
        """Hold the next answer back for `seconds`."""
        self._add([Fault(delay=seconds)])

    def creates(self) -> int:
        """How many `discountCodeBasicCreate` requests arrived."""
        return self.operations().count("discountCodeBasicCreate")

    def operations(self) -> list[str]:
        """The root field of each GraphQL request received, in order."""
        return [_root_field(r.body.get("query", "")) or "?" for r in self.requests
                if isinstance(r.body, dict)]  # fmt: skip

    def handle(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
            if fault is not None and fault.answer is not None:
                return fault.answer
            answer = self._answer(request)
            return replace(answer, delay=fault.delay) if fault is not None else answer

    def _answer(self, request: Request) -> Answer:
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
        granted = scope in self.scopes or (
            scope == "read_discounts" and "write_discounts" in self.scopes
        )
        if not granted:
            return Answer(200, _access_denied(root, scope))
        if root == "discountCodeBasicCreate":
            refused = self._refusals.popleft() if self._refusals else []
            data = self._create(next(iter(variables.values()), None) or {}, refused)
            created = data["discountCodeBasicCreate"]["codeDiscountNode"] is not None
            if created and self._drops:
                self._drops -= 1
                return Answer(None)  # made, but the answer never arrives
        elif root == "codeDiscountNodeByCode":
            data = self._find(str(variables.get("code", "")))
        else:
            data = self._customers(str(variables.get("query", "")))
        return Answer(200, {"data": data, "extensions": {"cost": COST}})

    def _create(self, discount: dict[str, Any], refused: list[dict[str, Any]]) -> dict[str, Any]:
        errors = refused or _invalid(discount)
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

    def _add(self, faults: Any) -> None:
        with self._lock:
            self._faults.extend(faults)


def _root_field(query: str) -> str | None:
    for root in SCOPES:
        if re.search(rf"\b{root}\s*\(", query):
            return root
    return None


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
def running_shopify() -> Iterator[ShopifyDiscountServer]:
    """A loopback Shopify Admin API on a free port, for the duration of the block."""
    shop = ShopifyDiscountServer()
    with serving(shop.handle, "loopback-shopify") as port:
        shop.port = port
        yield shop
