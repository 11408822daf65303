"""Which addresses an outbound request (a marketer's `send_webhook` URL) may reach.

A URL typed in the builder must not turn the worker into a door to what only the worker can
see: its own loopback services, the private network, the cloud's metadata service (whose
answer holds credentials). So a host is resolved once, every address it resolves to is
checked, and the request goes to the checked address itself: a name that resolves to a
public address for the check and to 127.0.0.1 a moment later (DNS rebinding) never gets a
second lookup. Hosts an operator lists in BOOMERANG_WEBHOOK_ALLOWED_HOSTS skip the check.
"""

import asyncio
import ipaddress
import socket
from collections.abc import Collection

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata services (AWS, GCP, Azure, Oracle: 169.254.169.254; AWS over
# IPv6: fd00:ec2::254; Alibaba: 100.100.100.200): named, since they are the prize.
METADATA = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
# Carrier-grade NAT (RFC 6598): not private in Python's sense, not public either.
SHARED = ipaddress.ip_network("100.64.0.0/10")
WHERE_TO_ALLOW = "list the host in BOOMERANG_WEBHOOK_ALLOWED_HOSTS to allow it"


class RefusedAddress(Exception):
    """The host is not one outbound requests may reach; the message names it and why."""


def why_not_public(address: IpAddress) -> str | None:
    """What kind of non-public address this is (`a loopback address`), or None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1 on the wire
    checks: list[tuple[bool, str]] = [
        (address in METADATA, "a cloud metadata address"),
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, ipaddress.IPv4Address) and address in SHARED, "a shared address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "not a public address"),
    ]
    return next((reason for matched, reason in checks if matched), None)


def literal_refusal(host: str) -> str | None:
    """Why a host is refused without asking DNS (`localhost`, a literal private address), or
    None when only its resolution can tell."""
    name = host.lower().strip("[]").rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return f"{host} is the local machine"
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return None
    reason = why_not_public(address)
    return f"{host} is {reason}" if reason else None


def is_allowed(host: str, allowed_hosts: Collection[str]) -> bool:
    return host.lower().strip("[]") in allowed_hosts


async def resolve_public(host: str, port: int) -> IpAddress:
    """The address to connect to for `host`: every address DNS gives must be public (a host
    with one private address among public ones is refused too), then the first is used.
    Raises `RefusedAddress`, or `OSError` when the name does not resolve (may be transient)."""
    if refused := literal_refusal(host):
        raise RefusedAddress(f"{refused}; {WHERE_TO_ALLOW}")
    loop = asyncio.get_running_loop()
    found = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]
    for address in addresses:
        if reason := why_not_public(address):
            raise RefusedAddress(f"{host} resolves to {address}, {reason}; {WHERE_TO_ALLOW}")
    if not addresses:
        raise OSError(f"{host} resolves to no address")
    return addresses[0]
