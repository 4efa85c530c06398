"""The one outbound guard: a target is looked up once and every address vetted (no connection
made), and user-chosen webhook / Slack URLs are refused when the guard refuses them.

The address decisions themselves are table-tested in shared/tests/test_target_safety.py; these
tests cover resolution and the URL handling around them, with a resolver that answers from a table.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from pulsecheck.checks.outbound import TargetGuard, resolve_target
from pulsecheck.shared.target_safety import (
    AllowList,
    BlockReason,
    TargetRefused,
    TargetUnresolvable,
)

LOOPBACK = AllowList.from_entries(["127.0.0.0/8"])


class TableResolver:
    """Answers from a fixed table and counts lookups (a rebinding guard must look up once)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        return self.answers.get(host, [])


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::1]", "localhost."]
)
async def test_loopback_in_any_spelling_is_refused_without_an_allow_list(host: str) -> None:
    resolver = TableResolver({"localhost": ["127.0.0.1", "::1"]})
    with pytest.raises(TargetRefused) as refused:
        await resolve_target(host, 80, AllowList(), resolver)
    assert refused.value.reason is BlockReason.LOOPBACK


async def test_a_name_resolving_to_metadata_is_refused() -> None:
    resolver = TableResolver({"evil.example": ["169.254.169.254"]})
    with pytest.raises(TargetRefused) as refused:
        await resolve_target("evil.example", 80, AllowList(), resolver)
    assert refused.value.reason is BlockReason.METADATA


async def test_one_private_answer_among_public_ones_refuses_the_whole_target() -> None:
    resolver = TableResolver({"mixed.example": ["93.184.216.34", "10.0.0.5"]})
    with pytest.raises(TargetRefused):
        await resolve_target("mixed.example", 443, AllowList(), resolver)


async def test_the_name_is_looked_up_once_and_the_vetted_addresses_returned() -> None:
    resolver = TableResolver({"site.example": ["93.184.216.34", "2606:2800:220:1::1"]})
    target = await resolve_target("Site.Example.", 443, AllowList(), resolver)
    assert resolver.lookups == ["site.example"]
    assert target.host == "site.example"
    assert [str(a) for a in target.addresses] == ["93.184.216.34", "2606:2800:220:1::1"]


async def test_literal_addresses_need_no_lookup() -> None:
    resolver = TableResolver({})
    target = await resolve_target("1.1.1.1", 443, AllowList(), resolver)
    assert resolver.lookups == []
    assert target.addresses == (ipaddress.ip_address("1.1.1.1"),)


async def test_a_name_without_addresses_is_unresolvable() -> None:
    with pytest.raises(TargetUnresolvable):
        await resolve_target("nowhere.example", 80, AllowList(), TableResolver({}))


async def test_allowed_network_opens_private_addresses() -> None:
    allow = AllowList.from_entries(["127.0.0.0/8", "10.1.0.0/16"])
    resolver = TableResolver({"intranet.example": ["10.1.2.3"]})
    assert (await resolve_target("0x7f000001", 80, allow, resolver)).addresses == (
        ipaddress.ip_address("127.0.0.1"),
    )
    assert (await resolve_target("intranet.example", 80, allow, resolver)).addresses == (
        ipaddress.ip_address("10.1.2.3"),
    )
    with pytest.raises(TargetRefused):
        await resolve_target("10.2.0.1", 80, allow, resolver)


async def test_allowed_host_name_opens_its_addresses_but_never_metadata() -> None:
    allow = AllowList.from_entries(["status.internal", " "])
    resolver = TableResolver({"status.internal": ["192.168.0.7"], "meta.internal": []})
    target = await resolve_target("STATUS.internal", 80, allow, resolver)
    assert target.addresses == (ipaddress.ip_address("192.168.0.7"),)
    resolver.answers["status.internal"] = ["169.254.169.254"]
    with pytest.raises(TargetRefused) as refused:
        await resolve_target("status.internal", 80, allow, resolver)
    assert refused.value.reason is BlockReason.METADATA


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "not a url"])
async def test_only_http_urls(url: str) -> None:
    assert await TargetGuard(LOOPBACK).refusal(url) is not None


async def test_literal_loopback_url_needs_the_allow_list() -> None:
    assert await TargetGuard().refusal("http://127.0.0.1:9/hook") is not None
    assert await TargetGuard(LOOPBACK).refusal("http://127.0.0.1:9/hook") is None


@pytest.mark.parametrize(
    ("host", "addresses"),
    [
        ("metadata.internal", ["169.254.169.254"]),
        ("intranet.example", ["10.1.2.3"]),
        ("rebind.example", ["93.184.216.34", "192.168.1.1"]),
        ("v6.example", ["fd00::1"]),
    ],
)
async def test_names_resolving_to_private_addresses_are_refused(
    host: str, addresses: list[str]
) -> None:
    guard = TargetGuard(resolver=TableResolver({host: addresses}))
    reason = await guard.refusal(f"https://{host}/hook")
    assert reason is not None and host in reason


async def test_public_name_passes_and_unknown_name_is_refused() -> None:
    guard = TargetGuard(resolver=TableResolver({"hooks.example": ["93.184.216.34"]}))
    assert await guard.refusal("https://hooks.example/T0/B0") is None
    assert "cannot resolve" in (await guard.refusal("https://nowhere.example/") or "")
