"""The DNS check against an authoritative test server on 127.0.0.1 (never a real resolver)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.registry import run_check
from pulsecheck.shared.events import CheckCompleted, CheckRequested, ErrorKind
from pulsecheck.shared.target_safety import AllowList
from pulsecheck.testing.dns_zone import serve_zone


def dns_request(name: str, port: int, **options: Any) -> CheckRequested:
    now = datetime.now(UTC)
    return CheckRequested.model_validate(
        {
            "request_id": "r-1",
            "monitor_id": "m-1",
            "account_id": "a-1",
            "kind": "dns",
            "target": f"dns://{name}",
            "dns": {"nameserver": "127.0.0.1", "nameserver_port": port, **options},
            "timeout_seconds": 1.0,
            "scheduled_for": now,
            "deadline": now + timedelta(minutes=1),
        }
    )


async def check(
    name: str, probe_context: ProbeContext, mode: Any = "answer", **options: Any
) -> CheckCompleted:
    async with serve_zone(mode=mode) as server:
        return await run_check(dns_request(name, server.port, **options), probe_context)


@pytest.mark.parametrize(
    ("name", "record_type", "answers", "ttl"),
    [
        ("www.pulsecheck.test", "A", ["192.0.2.10", "192.0.2.11"], 120),
        ("www.pulsecheck.test", "AAAA", ["2001:db8::10"], 300),
        ("alias.pulsecheck.test", "A", ["192.0.2.10", "192.0.2.11"], 120),
        ("alias.pulsecheck.test", "CNAME", ["www.pulsecheck.test"], 300),
        ("pulsecheck.test", "MX", ["10 mail.pulsecheck.test", "20 Mail2.pulsecheck.test"], 300),
        ("pulsecheck.test", "TXT", ["v=spf1 -all"], 300),
        ("pulsecheck.test", "NS", ["ns1.pulsecheck.test"], 300),
        ("pulsecheck.test", "CAA", ["0 issue letsencrypt.org"], 300),
    ],
)
async def test_answers_and_ttl_of_each_record_type(
    name: str, record_type: str, answers: list[str], ttl: int, probe_context: ProbeContext
) -> None:
    result = await check(name, probe_context, record_type=record_type)
    assert result.outcome == "up", result.error
    assert result.dns is not None and result.uptime is not None
    assert (result.dns.answers, result.dns.ttl, result.dns.rcode) == (answers, ttl, "NOERROR")
    assert result.dns.nameserver == "127.0.0.1"
    assert result.uptime.latency_ms > 0


@pytest.mark.parametrize(
    ("name", "options", "error"),
    [
        ("www", {"answers_equal": ["192.0.2.11", "192.0.2.10"]}, None),
        ("www", {"answers_equal": ["192.0.2.10"]}, ErrorKind.ASSERTION),
        ("www", {"answers_contain": ["192.0.2.10"]}, None),
        ("www", {"answers_contain": ["192.0.2.99"]}, ErrorKind.ASSERTION),
        ("www", {"answer_matches": r"^192\.0\.2\.1[01]$"}, None),
        ("www", {"answer_matches": r"^10\."}, ErrorKind.ASSERTION),
        ("www", {"record_type": "AAAA", "answers_equal": ["2001:0db8:0:0::10"]}, None),
        (
            "@",
            {"record_type": "MX", "answers_equal": ["10 MAIL.pulsecheck.test.", "20 mail2"]},
            ErrorKind.ASSERTION,
        ),
        (
            "@",
            {
                "record_type": "MX",
                "answers_equal": ["10 MAIL.pulsecheck.test.", "20 mail2.pulsecheck.test"],
            },
            None,
        ),
        ("@", {"record_type": "TXT", "answers_contain": ["V=SPF1 -all"]}, ErrorKind.ASSERTION),
    ],
)
async def test_expected_answers(
    name: str, options: dict[str, Any], error: ErrorKind | None, probe_context: ProbeContext
) -> None:
    record = "pulsecheck.test" if name == "@" else f"{name}.pulsecheck.test"
    result = await check(record, probe_context, **options)
    assert (result.error.kind if result.error else None) == error, result.error
    assert result.outcome == ("up" if error is None else "down")
    assert result.dns is not None and result.dns.answers


@pytest.mark.parametrize(
    ("name", "record_type", "mode", "error"),
    [
        ("nope.pulsecheck.test", "A", "answer", ErrorKind.NXDOMAIN),
        ("only-v4.pulsecheck.test", "AAAA", "answer", ErrorKind.NO_ANSWER),
        ("example.com", "A", "answer", ErrorKind.DNS),  # REFUSED: not this server's zone
        ("www.pulsecheck.test", "A", "servfail", ErrorKind.SERVFAIL),
    ],
)
async def test_failed_lookups_are_classified(
    name: str, record_type: str, mode: str, error: ErrorKind, probe_context: ProbeContext
) -> None:
    result = await check(name, probe_context, mode=mode, record_type=record_type)
    assert result.outcome == "down"
    assert result.error is not None and result.error.kind == error, result.error
    assert result.dns is not None and result.dns.answers == []
    assert result.uptime is not None


async def test_a_silent_nameserver_is_a_timeout(probe_context: ProbeContext) -> None:
    async with serve_zone(mode="silent") as server:
        result = await run_check(dns_request("www.pulsecheck.test", server.port), probe_context)
        assert server.queries >= 1
    assert result.error is not None and result.error.kind == ErrorKind.TIMEOUT
    assert "127.0.0.1" in result.error.message
    assert result.uptime is not None and result.uptime.latency_ms >= 800


async def test_a_nameserver_the_guard_refuses_is_never_asked(probe_context: ProbeContext) -> None:
    guarded = replace(probe_context, allow=AllowList())
    async with serve_zone() as server:
        result = await run_check(dns_request("www.pulsecheck.test", server.port), guarded)
        assert server.queries == 0
    assert result.error is not None and result.error.kind == ErrorKind.BLOCKED_TARGET


async def test_without_a_nameserver_the_hosts_resolvers_are_asked(
    probe_context: ProbeContext,
) -> None:
    async with serve_zone() as server:
        request = dns_request("www.pulsecheck.test", server.port)
        options = request.dns.model_copy(update={"nameserver": None}) if request.dns else None
        # the host's resolvers come from the context: here, the test server (on port 53 the
        # system would use; the port is the one thing a host resolver list cannot carry)
        local = replace(probe_context, system_nameservers=lambda: ["127.0.0.1"])
        outcome = await run_check(request.model_copy(update={"dns": options}), local)
    assert outcome.error is not None
    # port 53 on loopback has no server: asked, and failed, without any real resolver
    assert outcome.error.kind in (ErrorKind.TIMEOUT, ErrorKind.CONNECTION)


async def test_no_host_resolver_is_a_classified_error(probe_context: ProbeContext) -> None:
    request = dns_request("www.pulsecheck.test", 53)
    request = request.model_copy(update={"dns": None})
    result = await run_check(request, replace(probe_context, system_nameservers=tuple))
    assert result.error is not None and result.error.kind == ErrorKind.DNS
