"""A loopback WooCommerce REST API for coupons: `GET` and `POST /wp-json/wc/v3/coupons`.

Tests point the real `woocommerce` library at it (BOOMERANG_WOOCOMMERCE_URL set to its
`http://127.0.0.1:PORT`; over plain http the library signs with OAuth 1.0a in the query
string). Like WooCommerce it:

- authenticates the consumer key (basic auth, or `oauth_consumer_key` with an
  `oauth_signature`, whose HMAC it does not check), else 401
  `woocommerce_rest_authentication_error`; a key without write (or read) permission gets the
  401 WooCommerce gives such a key (`permissions`);
- creates a coupon (201, the coupon as WooCommerce shows it: code in lower case, amount with
  two decimals), or answers 400 `{"code": ..., "message": ..., "data": {"status": 400}}` for
  an empty code, a taken code (`woocommerce_rest_coupon_code_already_exists`), an unknown
  `discount_type` (`rest_invalid_param`) or an address `email_restrictions` cannot take
  (`coupon_invalid_email_address`, as WC_Coupon raises it);
- lists coupons, filtered by `?code=` regardless of case;
- answers 404 `rest_no_route` elsewhere.

It can be told to answer the next requests with any status and error code (`fail_next`:
429 with Retry-After, 401 `woocommerce_rest_cannot_create`, 500...),
to create the next coupon and then break the connection (`drop_next_create`: the answer lost
on its way back), or to hold an answer back (`stall_next`).
Every request is recorded.
"""

import base64
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.loopback_http import Answer, Fault, Loopback, Request, running

CONSUMER_KEY = "ck_loopback_test"
CONSUMER_SECRET = "cs_loopback_test"
COUPONS = "/wp-json/wc/v3/coupons"
DISCOUNT_TYPES = ("percent", "fixed_cart", "fixed_product")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")  # WordPress's is_email wants a dot


@dataclass
class WooCommerceServer(Loopback):
    coupons: list[dict[str, Any]] = field(default_factory=list)  # as WooCommerce shows them
    permissions: str = "read_write"  # of the API key: read, write or read_write
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(4101))

    def fail_next(
        self, status: int, times: int = 1, *, code: str = "", message: str = "",
        retry_after: str | None = None,
    ) -> None:  # fmt: skip
        """Answer the next `times` requests with `status` (before looking at them)."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        body = _error(code or f"loopback_{status}", message or f"loopback {status}", status)
        self._add(Fault(Answer(status, body, headers)) for _ in range(times))

    def creates(self) -> int:
        """How many `POST`s (creates) arrived."""
        return self.calls().count("POST")

    def calls(self) -> list[str]:
        """`GET` or `POST` of each request received, in order."""
        return [r.method for r in self.requests]

    def created(self, answer: Answer) -> bool:
        return answer.status == 201

    def answer(self, request: Request) -> Answer:
        if request.path.rstrip("/") != COUPONS or request.method not in ("GET", "POST"):
            return Answer(404, _error("rest_no_route",
                                      "No route was found matching the URL and request method.",
                                      404))  # fmt: skip
        if not self._authenticated(request):
            return Answer(401, _error("woocommerce_rest_authentication_error",
                                      "Consumer key is invalid.", 401))  # fmt: skip
        needed = "read" if request.method == "GET" else "write"
        if needed not in self.permissions:
            return Answer(401, _error("woocommerce_rest_authentication_error",
                                      f"The API key provided does not have {needed} "
                                      "permissions.", 401))  # fmt: skip
        if request.method == "GET":
            code = request.query.get("code")
            found = [c for c in self.coupons
                     if code is None or c["code"] == code.casefold()]  # fmt: skip
            return Answer(200, found)
        return self._create(request.body if isinstance(request.body, dict) else {})

    def _create(self, body: dict[str, Any]) -> Answer:
        code = str(body.get("code") or "").strip().casefold()
        if not code:
            return Answer(400, _error("woocommerce_rest_empty_coupon_code",
                                      "The coupon code cannot be empty.", 400))  # fmt: skip
        discount_type = body.get("discount_type", "fixed_cart")
        if discount_type not in DISCOUNT_TYPES:
            error = _error("rest_invalid_param", "Invalid parameter(s): discount_type", 400)
            error["data"]["params"] = {
                "discount_type": f"discount_type is not one of {', '.join(DISCOUNT_TYPES)}."
            }
            return Answer(400, error)
        if any(c["code"] == code for c in self.coupons):
            return Answer(400, _error("woocommerce_rest_coupon_code_already_exists",
                                      "The coupon code already exists", 400))  # fmt: skip
        emails = body.get("email_restrictions") or []
        if not all(isinstance(e, str) and EMAIL.match(e) for e in emails):
            return Answer(400, _error("coupon_invalid_email_address",
                                      "Invalid email address restriction", 400))  # fmt: skip
        coupon = {
            "id": next(self._ids),
            "code": code,
            "amount": f"{float(body.get('amount') or 0):.2f}",
            "discount_type": discount_type,
            "description": body.get("description", ""),
            "date_expires": body.get("date_expires"),
            "usage_count": 0,
            "individual_use": bool(body.get("individual_use", False)),
            "usage_limit": body.get("usage_limit"),
            "usage_limit_per_user": body.get("usage_limit_per_user"),
            "email_restrictions": emails,
        }
        self.coupons.append(coupon)
        return Answer(201, coupon)

    def _authenticated(self, request: Request) -> bool:
        basic = request.headers.get("authorization", "")
        if basic.startswith("Basic "):
            expected = base64.b64encode(f"{CONSUMER_KEY}:{CONSUMER_SECRET}".encode()).decode()
            return basic.removeprefix("Basic ") == expected
        signed = bool(request.query.get("oauth_signature"))
        return signed and request.query.get("oauth_consumer_key") == CONSUMER_KEY


def _error(code: str, message: str, status: int) -> dict[str, Any]:
    return {"code": code, "message": message, "data": {"status": status}}


@contextmanager
def running_woocommerce() -> Iterator[WooCommerceServer]:
    """A loopback WooCommerce on a free port, for the duration of the block."""
    with running(WooCommerceServer(), "loopback-woocommerce") as shop:
        yield shop
