"""Which addresses `send_webhook` may reach: every kind that is not public is refused, by
its literal form and after DNS resolution."""

import ipaddress
import socket
from typing import Any

import pytest

from engine.service.public_addresses import RefusedAddress, literal_refusal, resolve_public

NOT_PUBLIC = {
    "127.0.0.1": "a loopback address",
    "127.8.9.10": "a loopback address",
    "::1": "a loopback address",
    "::ffff:127.0.0.1": "a loopback address",
    "::ffff:10.0.0.1": "a private address",
    "169.254.169.254": "a cloud metadata address",
    "::ffff:169.254.169.254": "a cloud metadata address",
    "fd00:ec2::254": "a cloud metadata address",
    "100.100.100.200": "a cloud metadata address",
    "169.254.1.1": "a link-local address",
    "fe80::1": "a link-local address",
    "10.1.2.3": "a private address",
    "172.16.0.1": "a private address",
    "192.168.1.1": "a private address",
    "fc00::1": "a private address",
    "100.64.0.1": "a shared address",
    "0.0.0.0": "an unspecified address",
    "::": "an unspecified address",
    "224.0.0.1": "a multicast address",
    "ff02::1": "a multicast address",
    "240.0.0.1": "a reserved address",
    "192.0.2.1": "a private address",  # TEST-NET-1, documentation only
}
PUBLIC = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"]


class FakeDns:
    """`socket.getaddrinfo` answering `address` for every name."""

    def __init__(self, address: str) -> None:
        self.address = address

    def __call__(self, _host: Any, port: Any, *_args: Any, **_kwargs: Any) -> Any:
        family = socket.AF_INET6 if ":" in self.address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (self.address, int(port)))]


@pytest.mark.parametrize(("address", "reason"), NOT_PUBLIC.items())
def test_a_literal_address_that_is_not_public_is_refused_without_dns(
    address: str, reason: str
) -> None:
    assert literal_refusal(address) == f"{address} is {reason}"
    assert literal_refusal(f"[{address}]") == f"[{address}] is {reason}"


@pytest.mark.parametrize("name", ["localhost", "LOCALHOST", "api.localhost", "localhost."])
def test_localhost_is_refused_without_dns(name: str) -> None:
    assert literal_refusal(name) == f"{name} is the local machine"


@pytest.mark.parametrize("host", [*PUBLIC, "hooks.example.com"])
def test_public_addresses_and_names_are_left_to_resolution(host: str) -> None:
    assert literal_refusal(host) is None


@pytest.mark.parametrize(("address", "reason"), NOT_PUBLIC.items())
async def test_a_name_resolving_to_an_address_that_is_not_public_is_refused(
    address: str, reason: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", FakeDns(address))

    with pytest.raises(RefusedAddress) as refused:
        await resolve_public("hooks.example.com", 443)

    shown = ipaddress.ip_address(address)  # ::ffff:127.0.0.1 shows as ::ffff:7f00:1
    assert str(refused.value).startswith(f"hooks.example.com resolves to {shown}, {reason}")
    assert "BOOMERANG_WEBHOOK_ALLOWED_HOSTS" in str(refused.value)


@pytest.mark.parametrize("address", PUBLIC)
async def test_a_name_resolving_to_a_public_address_gives_that_address(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", FakeDns(address))

    assert str(await resolve_public("hooks.example.com", 443)) == address
