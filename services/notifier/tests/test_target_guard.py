"""SSRF refusals decided as pure functions of the address, and the URL checks around them."""

from __future__ import annotations

import ipaddress

import pytest

from pulsecheck.notifier.target_guard import TargetGuard, address_refusal

ALLOW_LOOPBACK = (ipaddress.ip_network("127.0.0.1/32"),)


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "127.0.0.1",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:10.0.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "100.64.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address), ()) is not None


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address), ()) is None


def test_allow_list_overrides() -> None:
    assert address_refusal(ipaddress.ip_address("127.0.0.1"), ALLOW_LOOPBACK) is None
    assert address_refusal(ipaddress.ip_address("127.0.0.2"), ALLOW_LOOPBACK) is not None


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "not a url"])
async def test_only_http_urls(url: str) -> None:
    assert await TargetGuard(["127.0.0.1/32"]).refusal(url) is not None


async def test_literal_loopback_url_needs_the_allow_list() -> None:
    assert await TargetGuard().refusal("http://127.0.0.1:9/hook") is not None
    assert await TargetGuard(["127.0.0.1/32"]).refusal("http://127.0.0.1:9/hook") is None
