"""Connecting to Temporal with Boomerang's data converter, TLS or API key, and search
attributes."""

import asyncio

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from engine.runtime.settings import Settings, read_pem
from engine.service.errors import Unavailable
from engine.service.payload_codec import DATA_CONVERTER
from engine.workflows.journey import SEARCH_ATTRIBUTES


async def connect(settings: Settings) -> Client:
    """The one way Boomerang reaches Temporal: the CLI, the worker, the API and the benches."""
    api_key = settings.temporal_api_key
    return await Client.connect(
        settings.resolved_temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=DATA_CONVERTER,
        tls=tls_config(settings),
        api_key=api_key.get_secret_value() if api_key else None,
    )


def tls_config(settings: Settings) -> TLSConfig | bool:
    """False (plain gRPC) unless a TLS setting or the API key asks for TLS; True checks the
    server against the system's CAs; a TLSConfig carries the files and the server name. The
    files are read at each connection, so renewed certificates reach the next one."""
    ca, cert, key = settings.temporal_tls_ca, settings.temporal_tls_cert, settings.temporal_tls_key
    if settings.temporal_tls_server_name is None and all(f is None for f in (ca, cert, key)):
        return settings.temporal_tls or settings.temporal_api_key is not None
    return TLSConfig(
        server_root_ca_cert=read_pem(ca) if ca else None,
        client_cert=read_pem(cert) if cert else None,
        client_private_key=read_pem(key) if key else None,
        domain=settings.temporal_tls_server_name,
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
        try:
            await client.operator_service.add_search_attributes(
                AddSearchAttributesRequest(namespace=client.namespace, search_attributes=missing)
            )
        except RPCError as error:
            if error.status not in (RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED):
                raise
            # Temporal Cloud, or a cluster whose operator API this identity may not use.
            names = ", ".join(f"{name} (Keyword)" for name in sorted(missing))
            raise SearchAttributesMissing(
                f"namespace {client.namespace!r} lacks the search attributes {names}, and "
                f"Temporal refused to add them ({error.message}): create them in the "
                "namespace (Temporal Cloud's UI or `tcld`, or `temporal operator "
                "search-attribute create`), see docs/deploy.md"
            ) from error


class SearchAttributesMissing(RuntimeError):
    """The namespace lacks journey search attributes and this client may not add them."""


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
