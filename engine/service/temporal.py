"""Connecting to Temporal with Boomerang's data converter and search attributes."""

import asyncio

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from engine.runtime.settings import Settings
from engine.service.errors import Unavailable
from engine.service.payload_codec import DATA_CONVERTER
from engine.workflows.journey import SEARCH_ATTRIBUTES


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.resolved_temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=DATA_CONVERTER,
    )


async def register_search_attributes(client: Client) -> None:
    """Add the journey search attributes the namespace lacks (the dev server gets them as flags)."""
    try:
        known = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=client.namespace)
        )
        existing = set(known.custom_attributes)
    except RPCError as error:
        if error.status != RPCStatusCode.UNIMPLEMENTED:  # the time-skipping server cannot list
            raise
        existing = set()
    missing = {
        key.name: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
        for key in SEARCH_ATTRIBUTES
        if key.name not in existing
    }
    if missing:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(namespace=client.namespace, search_attributes=missing)
        )


def reachable(client: Client | None) -> Client:
    """The client a use case needs; None (what the API passes while Temporal is down) raises
    `Unavailable`."""
    if client is None:
        raise Unavailable("Temporal cannot be reached")
    return client


class TemporalLink:
    """A client connected on first use, so the API starts even while Temporal is down."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._client: Client | None = None
        self._lock = asyncio.Lock()

    async def get(self) -> Client:
        async with self._lock:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self._settings), timeout=5)
                except Exception as error:
                    address = self._settings.resolved_temporal_address
                    raise Unavailable(
                        f"Temporal at {address} cannot be reached: {error}"
                    ) from error
            return self._client
