"""The Temporal TLS and API key settings refuse to start when they cannot work, saying why."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from engine.runtime.settings import Settings
from tests.tls_proxy import Pki, make_pki

CLUSTER = "temporal.example.internal:7233"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def refusal(**values: object) -> str:
    with pytest.raises(ValidationError) as refused:
        Settings(**values)  # type: ignore[arg-type]
    return str(refused.value)


def test_a_missing_certificate_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "ca.pem"

    assert f"{missing} cannot be read: No such file or directory" in refusal(
        temporal_address=CLUSTER, temporal_tls_ca=missing
    )


def test_an_unreadable_key_file_is_named(tmp_path: Path, pki: Pki) -> None:
    # A folder: unreadable as a file even for root, who reads any file whatever its mode.
    assert f"{tmp_path} cannot be read: Is a directory" in refusal(
        temporal_address=CLUSTER, temporal_tls_cert=pki.client_cert, temporal_tls_key=tmp_path
    )


def test_a_file_that_is_not_pem_is_refused(tmp_path: Path) -> None:
    der = tmp_path / "client.der"
    der.write_bytes(b"\x30\x82\x01\x0a binary")

    assert f"{der} is not a PEM file" in refusal(
        temporal_address=CLUSTER, temporal_tls_cert=der, temporal_tls_key=der
    )


def test_a_certificate_without_its_key_is_refused(pki: Pki) -> None:
    assert (
        "BOOMERANG_TEMPORAL_TLS_CERT is set without BOOMERANG_TEMPORAL_TLS_KEY: mTLS needs both"
        in refusal(temporal_address=CLUSTER, temporal_tls_cert=pki.client_cert)
    )


def test_a_key_without_its_certificate_is_refused(pki: Pki) -> None:
    assert (
        "BOOMERANG_TEMPORAL_TLS_KEY is set without BOOMERANG_TEMPORAL_TLS_CERT: mTLS needs both"
        in refusal(temporal_address=CLUSTER, temporal_tls_key=pki.client_key)
    )


@pytest.mark.parametrize(
    ("setting", "value"),
    [("temporal_tls", True), ("temporal_api_key", "cloud-key"), ("temporal_tls_server_name", "t")],
)
def test_tls_or_an_api_key_without_an_address_is_refused(setting: str, value: object) -> None:
    # Without an address Boomerang embeds the dev server, which speaks plain gRPC.
    message = refusal(**{setting: value})

    assert f"BOOMERANG_{setting.upper()} needs BOOMERANG_TEMPORAL_ADDRESS" in message


def test_a_refusal_never_shows_the_api_key(pki: Pki) -> None:
    message = refusal(
        temporal_address=CLUSTER,
        temporal_api_key="secret-cloud-key-123",
        temporal_tls_cert=pki.client_cert,
    )

    assert "mTLS needs both" in message
    assert "secret-cloud-key-123" not in message


def test_the_settings_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, pki: Pki
) -> None:
    for name, value in {
        "ADDRESS": CLUSTER,
        "API_KEY": "cloud-key",
        "TLS_CA": str(pki.ca),
        "TLS_CERT": str(pki.client_cert),
        "TLS_KEY": str(pki.client_key),
        "TLS_SERVER_NAME": "temporal.internal",
    }.items():
        monkeypatch.setenv(f"BOOMERANG_TEMPORAL_{name}", value)

    settings = Settings()

    assert settings.temporal_api_key is not None
    assert settings.temporal_api_key.get_secret_value() == "cloud-key"
    assert (settings.temporal_tls_ca, settings.temporal_tls_cert, settings.temporal_tls_key) == (
        pki.ca,
        pki.client_cert,
        pki.client_key,
    )
    assert settings.temporal_tls_server_name == "temporal.internal"
