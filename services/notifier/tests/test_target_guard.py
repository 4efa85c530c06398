"""The notifier refuses webhook and Slack URLs the shared SSRF guard refuses (no connection made).

The address decisions themselves are table-tested in shared/tests/test_target_safety.py; these
tests cover the URL handling around them, with a resolver that answers from a table.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pulsecheck.notifier.target_guard import TargetGuard
from pulsecheck.shared.target_safety import AllowList, TargetUnresolvable

LOOPBACK = AllowList.from_entries(["127.0.0.0/8"])


class TableResolver:
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self._answers = answers

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        if host not in self._answers:
            raise TargetUnresolvable(f"{host}: no such host")
        return self._answers[host]


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
