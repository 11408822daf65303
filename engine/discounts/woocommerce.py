"""Discount codes issued in WooCommerce (REST API, `POST /wp-json/wc/v3/coupons`)."""

from typing import Self

from engine.discounts import CodeRequest
from engine.runtime.settings import Settings


class WooCommerceDiscounts:
    name = "woocommerce"

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        raise NotImplementedError("the WooCommerce discount provider is being built")

    def find(self, code: str) -> str | None:
        raise NotImplementedError

    def create(self, request: CodeRequest) -> str:
        raise NotImplementedError
