"""A real connection over TLS: Boomerang's settings against a Temporal dev server behind a TLS
terminator that asks for a client certificate (mTLS), with a CA made for the test."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.operatorservice.v1 import ListSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from engine.runtime.settings import Settings
from engine.service.temporal import connect, register_search_attributes
from engine.workflows.journey import SEARCH_ATTRIBUTES
from tests.tls_proxy import SERVER_NAME, Pki, make_pki, tls_proxy


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
async def mtls_address(pki: Pki, dev_server_env: WorkflowEnvironment) -> AsyncIterator[str]:
    target = dev_server_env.client.service_client.config.target_host
    async with tls_proxy(pki, target, client_ca=pki.ca) as address:
        yield address


def over_tls(address: str, pki: Pki, **changes: Path | str | None) -> Settings:
    values: dict[str, Path | str | None] = {
        "temporal_tls_ca": pki.ca,
        "temporal_tls_cert": pki.client_cert,
        "temporal_tls_key": pki.client_key,
        "temporal_tls_server_name": SERVER_NAME,
    }
    return Settings(temporal_address=address, **{**values, **changes})  # type: ignore[arg-type]


async def test_boomerang_connects_over_mtls_and_does_what_the_worker_does_at_start(
    mtls_address: str, pki: Pki, dev_server_env: WorkflowEnvironment
) -> None:
    client = await connect(over_tls(mtls_address, pki))

    await client.service_client.check_health()
    await register_search_attributes(client)  # the worker's first call after connecting
    known = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    assert {key.name for key in SEARCH_ATTRIBUTES} <= set(known.custom_attributes)
    assert client.namespace == dev_server_env.client.namespace


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        # The server hangs up on a client without a certificate of its CA (in TLS 1.3, once
        # the client has sent its first call).
        ({"temporal_tls_cert": None, "temporal_tls_key": None}, "call error after connection"),
        # Boomerang refuses a server whose certificate another CA signed...
        ({"temporal_tls_ca": "stranger"}, "UnknownIssuer"),
        # ...or made out to another name than the one it was told to expect.
        ({"temporal_tls_server_name": None}, "NotValidForName"),
        # A plain gRPC client does not get through a TLS port.
        (dict.fromkeys(("temporal_tls_ca", "temporal_tls_cert", "temporal_tls_key",
                        "temporal_tls_server_name")), ""),
    ],
    ids=["no-client-certificate", "unknown-ca", "other-server-name", "plain-grpc"],
)  # fmt: skip
async def test_a_connection_either_side_would_not_trust_fails(
    mtls_address: str, pki: Pki, changes: dict[str, Path | str | None], refusal: str
) -> None:
    if changes.get("temporal_tls_ca") == "stranger":
        changes = {"temporal_tls_ca": pki.stranger_ca}

    with pytest.raises(RuntimeError, match=f"Failed client connect.*{refusal}"):
        await connect(over_tls(mtls_address, pki, **changes))
