"""Discount codes issued in Shopify (GraphQL Admin API, `discountCodeBasicCreate`)."""

from typing import Self

from engine.discounts import CodeRequest
from engine.runtime.settings import Settings


class ShopifyDiscounts:
    name = "shopify"

    @classmethod
    def from_settings(cls, settings: Settings) -> Self:
        raise NotImplementedError("the Shopify discount provider is being built")

    def find(self, code: str) -> str | None:
        raise NotImplementedError

    def create(self, request: CodeRequest) -> str:
        raise NotImplementedError
