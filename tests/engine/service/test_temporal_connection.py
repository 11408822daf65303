"""What each Temporal connection setting turns into on the connection every Boomerang process
makes (`engine.service.temporal.connect`): TLS files, the server name, the API key."""

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesResponse
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode, TLSConfig

from engine.runtime.settings import Settings
from engine.service import temporal
from engine.workflows.journey import SEARCH_ATTRIBUTES
from tests.tls_proxy import Pki, make_pki

CLUSTER = "temporal.example.internal:7233"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def connected_with(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The arguments `connect` hands to temporalio's `Client.connect` (a fake that records)."""
    seen: dict[str, Any] = {}

    async def fake_connect(target_host: str, **options: Any) -> Client:
        seen.update(options, target_host=target_host)
        return object()  # type: ignore[return-value]

    monkeypatch.setattr(Client, "connect", fake_connect)
    return seen


async def test_without_security_settings_the_connection_is_plain_grpc(
    connected_with: dict[str, Any],
) -> None:
    await temporal.connect(Settings(temporal_address=CLUSTER, temporal_namespace="shop"))

    assert connected_with["target_host"] == CLUSTER
    assert connected_with["namespace"] == "shop"
    assert connected_with["tls"] is False
    assert connected_with["api_key"] is None


async def test_an_api_key_is_sent_and_implies_tls_with_the_systems_cas(
    connected_with: dict[str, Any],
) -> None:
    settings = Settings(
        temporal_address="shop.a1b2c.tmprl.cloud:7233",
        temporal_namespace="shop.a1b2c",
        temporal_api_key="eyJhbGciOi-cloud-key",
    )

    await temporal.connect(settings)

    assert connected_with["api_key"] == "eyJhbGciOi-cloud-key"
    assert connected_with["tls"] is True


async def test_tls_alone_checks_the_server_against_the_systems_cas(
    connected_with: dict[str, Any],
) -> None:
    await temporal.connect(Settings(temporal_address=CLUSTER, temporal_tls=True))

    assert connected_with["tls"] is True
    assert connected_with["api_key"] is None


async def test_mtls_files_and_the_server_name_are_read_into_the_tls_config(
    connected_with: dict[str, Any], pki: Pki
) -> None:
    settings = Settings(
        temporal_address=CLUSTER,
        temporal_tls_ca=pki.ca,
        temporal_tls_cert=pki.client_cert,
        temporal_tls_key=pki.client_key,
        temporal_tls_server_name="temporal.internal",
    )

    await temporal.connect(settings)

    assert connected_with["tls"] == TLSConfig(
        server_root_ca_cert=pki.ca.read_bytes(),
        client_cert=pki.client_cert.read_bytes(),
        client_private_key=pki.client_key.read_bytes(),
        domain="temporal.internal",
    )


async def test_a_server_ca_alone_turns_tls_on_without_a_client_certificate(
    connected_with: dict[str, Any], pki: Pki
) -> None:
    await temporal.connect(Settings(temporal_address=CLUSTER, temporal_tls_ca=pki.ca))

    assert connected_with["tls"] == TLSConfig(server_root_ca_cert=pki.ca.read_bytes())


async def test_a_renewed_certificate_reaches_the_next_connection(
    connected_with: dict[str, Any], pki: Pki, tmp_path: Path
) -> None:
    cert, key = tmp_path / "client.pem", tmp_path / "client.key"
    cert.write_bytes(pki.client_cert.read_bytes())
    key.write_bytes(pki.client_key.read_bytes())
    settings = Settings(temporal_address=CLUSTER, temporal_tls_cert=cert, temporal_tls_key=key)
    cert.write_bytes(pki.server_cert.read_bytes())  # renewed while the process runs

    await temporal.connect(settings)

    assert connected_with["tls"].client_cert == pki.server_cert.read_bytes()


class RefusingOperator:
    """An operator service like Temporal Cloud's to an API key: lists, refuses to add."""

    async def list_search_attributes(self, _request: object) -> ListSearchAttributesResponse:
        return ListSearchAttributesResponse(custom_attributes={"CartId": 2})

    async def add_search_attributes(self, _request: object) -> None:
        raise RPCError("request unauthorized", RPCStatusCode.PERMISSION_DENIED, b"")


async def test_a_namespace_that_refuses_new_search_attributes_names_the_ones_to_create() -> None:
    client = SimpleNamespace(namespace="shop.a1b2c", operator_service=RefusingOperator())

    with pytest.raises(temporal.SearchAttributesMissing) as missing:
        await temporal.register_search_attributes(client)  # type: ignore[arg-type]

    message = str(missing.value)
    expected = sorted(key.name for key in SEARCH_ATTRIBUTES if key.name != "CartId")
    assert ", ".join(f"{name} (Keyword)" for name in expected) in message
    assert "CartId" not in message
    assert "'shop.a1b2c'" in message
    assert "docs/deploy.md" in message
