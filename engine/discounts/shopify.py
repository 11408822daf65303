"""Discount codes issued in Shopify (GraphQL Admin API, `discountCodeBasicCreate`).

The shop's custom app needs the Admin API scopes `write_discounts` (create the code, and
look it up by code: write includes read) and `read_customers` (limit the code to the cart's
customer). The calls go through engine.service.shopify_admin, whose errors are the
providers' (`PlatformRefused`, `PlatformBusy`, `PlatformUnauthorized`; `ShopifyUnavailable`
and a timeout are transient). No retries here: Temporal retries the action, which looks the
code up before creating it again.
"""

from datetime import UTC, datetime
from typing import Any, Self

from engine.discounts import CodeRequest
from engine.runtime.settings import Settings
from engine.service.shopify_admin import AdminApi, ShopifyRefused, ShopifyUnavailable, user_errors

WRITE_DISCOUNTS, READ_CUSTOMERS = "write_discounts", "read_customers"

CREATE = """
mutation BoomerangCreateCode($discount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $discount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}"""
FIND = """
query BoomerangFindCode($code: String!) {
  codeDiscountNodeByCode(code: $code) { id }
}"""
CUSTOMER = """
query BoomerangFindCustomer($query: String!) {
  customers(first: 1, query: $query) { nodes { id } }
}"""


class ShopifyDiscounts:
    """Percentage codes for one use, once per customer, ending when our record expires.

    Limited to the cart's customer when Shopify knows a customer with that email; a guest
    (no email, or none of the shop's customers has it) gets a code any customer may redeem:
    it stays single-use and expires like any other.
    """

    name = "shopify"

    def __init__(self, admin: AdminApi) -> None:
        self._admin = admin

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        return cls(AdminApi.from_settings(settings, scopes=(WRITE_DISCOUNTS, READ_CUSTOMERS)))

    def find(self, code: str) -> str | None:
        data = self._admin.call(FIND, {"code": code}, scope=WRITE_DISCOUNTS)
        node = data.get("codeDiscountNodeByCode")
        return str(node["id"]) if node else None

    def create(self, request: CodeRequest) -> str:
        selection: dict[str, Any] = {"all": True}
        if request.customer_email and (customer := self._customer_id(request.customer_email)):
            selection = {"customers": {"add": [customer]}}
        discount = {
            "title": f"Boomerang {request.code}",
            "code": request.code,
            "startsAt": _iso(datetime.now(UTC)),
            "endsAt": _iso(request.expires_at),
            # `customerSelection` until API 2025-10 replaces it with `context` (it stays,
            # deprecated, in later versions).
            "customerSelection": selection,
            "customerGets": {
                "value": {"percentage": request.percent / 100},  # Shopify: 0.1 is 10 %
                "items": {"all": True},
            },
            "appliesOncePerCustomer": True,
            "usageLimit": request.usage_limit,
        }
        data = self._admin.call(CREATE, {"discount": discount}, scope=WRITE_DISCOUNTS)
        payload = data.get("discountCodeBasicCreate") or {}
        if errors := payload.get("userErrors"):
            # Another attempt of this step created it between our lookup and now: it counts.
            if any(error.get("code") == "TAKEN" for error in errors) and (
                existing := self.find(request.code)
            ):
                return existing
            raise ShopifyRefused(user_errors(errors))
        node = payload.get("codeDiscountNode")
        if not node:
            raise ShopifyUnavailable("Shopify answered discountCodeBasicCreate without a code")
        return str(node["id"])

    def _customer_id(self, email: str) -> str | None:
        escaped = email.replace("\\", "\\\\").replace('"', '\\"')
        data = self._admin.call(CUSTOMER, {"query": f'email:"{escaped}"'}, scope=READ_CUSTOMERS)
        nodes = (data.get("customers") or {}).get("nodes") or []
        return str(nodes[0]["id"]) if nodes else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
