"""Where a request came from, believing forwarding headers only from our own proxies.

A client can send any ``X-Forwarded-For`` or ``X-Real-IP`` it likes. Only when the socket peer
is one of the configured trusted proxies is ``X-Forwarded-For`` read, from the right: each
trusted proxy appends the address it was talking to, so the rightmost address that is not a
trusted proxy is the client; anything further left was written by the client itself. No Django.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: Iterable[str]) -> list[Network]:
    """Parse ``10.0.0.1`` or ``10.0.0.0/8`` style entries; raises ValueError on a bad one."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: list[Network]
) -> bool:
    return any(address in network for network in proxies)


def client_address(*, peer: str, forwarded_for: str, proxies: list[Network]) -> str | None:
    """The client's address for a request from socket peer ``peer``."""
    address = _address(peer)
    if address is None:
        return None
    if not _trusted(address, proxies):
        return str(address)
    for hop in reversed(forwarded_for.split(",")):
        forwarded = _address(hop)
        if forwarded is None:
            # A trusted proxy writes addresses only: the chain is broken here.
            return str(address)
        if not _trusted(forwarded, proxies):
            return str(forwarded)
        address = forwarded
    return str(address)
