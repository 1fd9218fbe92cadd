"""Which address a request came from (samvirke.lib.client_ip, no Django)."""

from __future__ import annotations

import pytest

from samvirke.lib.client_ip import client_address, networks

PROXIES = networks(["10.0.0.0/8", "2001:db8::1"])


def test_an_untrusted_peer_is_the_client_whatever_it_forwards() -> None:
    assert client_address(peer="192.0.2.1", forwarded_for="203.0.113.1", proxies=PROXIES) == (
        "192.0.2.1"
    )


def test_the_rightmost_untrusted_hop_is_the_client_behind_trusted_proxies() -> None:
    chain = "198.51.100.9, 203.0.113.4, 10.1.1.1"
    assert client_address(peer="10.0.0.1", forwarded_for=chain, proxies=PROXIES) == "203.0.113.4"


def test_a_trusted_peer_without_a_chain_is_taken_as_it_is() -> None:
    assert client_address(peer="2001:db8::1", forwarded_for="", proxies=PROXIES) == "2001:db8::1"


def test_garbage_in_the_chain_stops_the_walk_at_the_last_proxy() -> None:
    chain = "203.0.113.4, not-an-address"
    assert client_address(peer="10.0.0.1", forwarded_for=chain, proxies=PROXIES) == "10.0.0.1"


def test_a_bad_trusted_proxy_setting_is_refused() -> None:
    with pytest.raises(ValueError):
        networks(["10.0.0.300"])
