"""The SSRF guard as pure decisions: nothing here connects to any of these addresses."""

from __future__ import annotations

import ipaddress

import pytest

from pulsecheck.shared.target_safety import (
    AllowList,
    BlockReason,
    TargetRefused,
    classify_address,
    parse_ip_literal,
    vet_addresses,
)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", BlockReason.LOOPBACK),
        ("127.255.255.254", BlockReason.LOOPBACK),
        ("10.0.0.1", BlockReason.PRIVATE),
        ("172.16.0.1", BlockReason.PRIVATE),
        ("172.31.255.255", BlockReason.PRIVATE),
        ("192.168.1.1", BlockReason.PRIVATE),
        ("169.254.169.254", BlockReason.METADATA),
        ("169.254.170.2", BlockReason.METADATA),
        ("169.254.1.1", BlockReason.LINK_LOCAL),
        ("100.64.0.1", BlockReason.CGNAT),
        ("100.127.255.255", BlockReason.CGNAT),
        ("100.100.100.200", BlockReason.METADATA),
        ("224.0.0.1", BlockReason.MULTICAST),
        ("239.255.255.250", BlockReason.MULTICAST),
        ("0.0.0.0", BlockReason.UNSPECIFIED),
        ("0.1.2.3", BlockReason.UNSPECIFIED),
        ("240.0.0.1", BlockReason.RESERVED),
        ("255.255.255.255", BlockReason.RESERVED),
        ("192.0.2.10", BlockReason.RESERVED),
        ("198.18.0.1", BlockReason.RESERVED),
        ("::1", BlockReason.LOOPBACK),
        ("::", BlockReason.UNSPECIFIED),
        ("fc00::1", BlockReason.UNIQUE_LOCAL),
        ("fd12:3456::1", BlockReason.UNIQUE_LOCAL),
        ("fd00:ec2::254", BlockReason.METADATA),
        ("fe80::1", BlockReason.LINK_LOCAL),
        ("fe80::1%2", BlockReason.LINK_LOCAL),
        ("ff02::1", BlockReason.MULTICAST),
        ("2001:db8::1", BlockReason.RESERVED),
        ("::ffff:127.0.0.1", BlockReason.LOOPBACK),
        ("::ffff:169.254.169.254", BlockReason.METADATA),
        ("::ffff:10.1.2.3", BlockReason.PRIVATE),
        ("::ffff:7f00:1", BlockReason.LOOPBACK),
        ("::127.0.0.1", BlockReason.LOOPBACK),
        ("64:ff9b::a00:1", BlockReason.PRIVATE),
        ("64:ff9b::7f00:1", BlockReason.LOOPBACK),
        ("2002:7f00:1::", BlockReason.LOOPBACK),
        ("2002:a9fe:a9fe::1", BlockReason.METADATA),
        ("2002:c0a8:101::1", BlockReason.PRIVATE),
        # IPv4-translated (::ffff:0:a.b.c.d): refused whatever the IPv4 address inside
        ("::ffff:0:7f00:1", BlockReason.RESERVED),
        ("::ffff:0:a9fe:a9fe", BlockReason.RESERVED),
        ("::ffff:0:808:808", BlockReason.RESERVED),
    ],
)
def test_non_public_addresses_are_refused_with_their_reason(
    address: str, reason: BlockReason
) -> None:
    assert classify_address(ipaddress.ip_address(address)) is reason


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:1.1.1.1",
     "64:ff9b::101:101", "2002:101:101::1", "172.32.0.1", "100.128.0.1"],
)  # fmt: skip
def test_public_addresses_pass(address: str) -> None:
    assert classify_address(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("spelling", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254"),
        ("2852039166", "169.254.169.254"),
        ("012.0.0.1", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
        ("1.2.3.4", "1.2.3.4"),
    ],
)
def test_every_ipv4_spelling_is_read_as_the_address_it_denotes(spelling: str, address: str) -> None:
    assert parse_ip_literal(spelling) == ipaddress.ip_address(address)


@pytest.mark.parametrize(
    "host",
    ["example.com", "1.2.3.4.5", "256.1.1.1", "0x1g.0.0.1", "08.0.0.1", "1..2", "4294967296"],
)
def test_names_and_impossible_numbers_are_not_literals(host: str) -> None:
    assert parse_ip_literal(host) is None


def test_allow_list_reads_cidrs_addresses_and_names() -> None:
    allow = AllowList.from_entries(["127.0.0.0/8", "::1", "Host.Example."])
    assert allow.allows_address(ipaddress.ip_address("127.9.9.9"))
    assert allow.allows_address(ipaddress.ip_address("::1"))
    assert not allow.allows_address(ipaddress.ip_address("10.0.0.1"))
    assert allow.allows_host("host.example")


def test_a_refusal_says_not_allowed_and_never_the_resolved_address() -> None:
    with pytest.raises(TargetRefused) as refused:
        vet_addresses("intranet.example", [ipaddress.ip_address("10.1.2.3")], AllowList())
    assert "not allowed" in str(refused.value)
    assert "10.1.2.3" not in str(refused.value)
