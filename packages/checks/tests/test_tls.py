"""The TLS check against real TLS servers on 127.0.0.1 with certificates made for each test."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import trustme

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.registry import run_check
from pulsecheck.checks.tls import check_ssl
from pulsecheck.shared.events import CheckCompleted, CheckRequested, ErrorKind
from pulsecheck.shared.target_safety import AllowList


def tls_request(target: str, **overrides: Any) -> CheckRequested:
    now = datetime.now(UTC)
    fields: dict[str, Any] = {
        "request_id": "r-1",
        "monitor_id": "m-1",
        "account_id": "a-1",
        "kind": "tls",
        "target": target,
        "timeout_seconds": 5.0,
        "scheduled_for": now,
        "deadline": now + timedelta(minutes=1),
    }
    return CheckRequested.model_validate(fields | overrides)


async def finish_handshake(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1)


async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while await reader.read(65536):
        pass


async def check(ctx: ProbeContext, port: int, host: str = "good.test", **kw: Any) -> CheckCompleted:
    return await run_check(tls_request(f"https://{host}:{port}/", **kw), ctx)


async def test_valid_certificate_reports_every_fact(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    server = await fleet.start(finish_handshake, certs.signed_by_test_ca("good.test"))
    result = await check(probe_context, server.port)
    assert result.outcome == "up", result.error
    tls = result.tls
    assert tls is not None and tls.valid
    assert tls.issuer == "PulseCheck Test CA"
    assert tls.issuer_organization == "PulseCheck Test CA"
    assert tls.sans == ["good.test"]
    assert tls.hostname_match and not tls.self_signed
    assert tls.fingerprint_sha256 is not None and len(tls.fingerprint_sha256) == 64
    assert tls.serial and tls.cipher
    assert tls.tls_version == "TLSv1.3"
    assert tls.expiry_date is not None and tls.expiry_date > datetime.now(UTC)
    assert tls.chain_earliest_expiry is not None
    assert tls.days_remaining is not None and tls.days_remaining > 365
    assert not tls.needs_renewal
    assert result.region == "test-region"


async def test_expired_certificate(fleet: Any, certs: Any, probe_context: ProbeContext) -> None:
    now = datetime.now(UTC)
    context = certs.signed_by_test_ca(
        "good.test", not_before=now - timedelta(days=90), not_after=now - timedelta(days=2)
    )
    server = await fleet.start(finish_handshake, context)
    result = await check(probe_context, server.port)
    assert result.outcome == "down"
    assert result.error is not None and result.error.kind is ErrorKind.EXPIRED
    assert result.tls is not None and not result.tls.valid
    assert result.tls.days_remaining is not None and result.tls.days_remaining < 0
    assert result.tls.needs_renewal
    assert result.tls.issuer_organization == "PulseCheck Test CA"


async def test_not_yet_valid_certificate(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    now = datetime.now(UTC)
    context = certs.signed_by_test_ca(
        "good.test", not_before=now + timedelta(days=3), not_after=now + timedelta(days=90)
    )
    server = await fleet.start(finish_handshake, context)
    result = await check(probe_context, server.port)
    assert result.error is not None and result.error.kind is ErrorKind.NOT_YET_VALID
    assert result.tls is not None and result.tls.not_before is not None
    assert result.tls.not_before > now


async def test_self_signed_certificate(fleet: Any, certs: Any, probe_context: ProbeContext) -> None:
    server = await fleet.start(finish_handshake, certs.self_signed("good.test"))
    result = await check(probe_context, server.port)
    assert result.error is not None and result.error.kind is ErrorKind.SELF_SIGNED
    assert result.tls is not None and result.tls.self_signed
    assert result.tls.hostname_match


async def test_certificate_for_another_host(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    server = await fleet.start(finish_handshake, certs.signed_by_test_ca("other.test"))
    result = await check(probe_context, server.port)
    assert result.error is not None and result.error.kind is ErrorKind.HOSTNAME_MISMATCH
    assert result.tls is not None
    assert result.tls.hostname_match is False
    assert result.tls.sans == ["other.test"]


async def test_untrusted_root(fleet: Any, probe_context: ProbeContext) -> None:
    stranger = trustme.CA().issue_cert("good.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    stranger.configure_cert(context)
    server = await fleet.start(finish_handshake, context)
    result = await check(probe_context, server.port)
    assert result.error is not None and result.error.kind is ErrorKind.UNTRUSTED_ROOT
    assert result.tls is not None and result.tls.expiry_date is not None


async def test_expiring_in_five_days_needs_renewal_within_the_warning_days(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    expiry = datetime.now(UTC) + timedelta(days=5, hours=1)
    server = await fleet.start(
        finish_handshake, certs.signed_by_test_ca("good.test", not_after=expiry)
    )
    warned = await check(probe_context, server.port)
    assert warned.outcome == "up"
    assert warned.tls is not None and warned.tls.days_remaining == 5
    assert warned.tls.needs_renewal
    relaxed = await check(probe_context, server.port, warning_days=[3, 1])
    assert relaxed.tls is not None and not relaxed.tls.needs_renewal


async def test_intermediate_expiring_before_the_leaf_sets_the_chain_expiry(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    context, root_pem = certs.with_intermediate("good.test", intermediate_days=10, leaf_days=200)
    trusting_root = replace(
        probe_context,
        verify_tls=ProbeContext.build("x", extra_ca_pem=root_pem).verify_tls,
    )
    server = await fleet.start(finish_handshake, context)
    result = await check(trusting_root, server.port)
    assert result.outcome == "up", result.error
    tls = result.tls
    assert tls is not None and tls.expiry_date and tls.chain_earliest_expiry
    assert tls.days_remaining is not None and tls.days_remaining >= 199
    assert (tls.expiry_date - tls.chain_earliest_expiry).days >= 189
    assert tls.issuer == "Chain Test Intermediate"
    assert tls.needs_renewal, "the chain breaks in 10 days, inside the 30-day warning"


async def test_tls_12_only_server(fleet: Any, certs: Any, probe_context: ProbeContext) -> None:
    context = certs.signed_by_test_ca("good.test", maximum_version=ssl.TLSVersion.TLSv1_2)
    server = await fleet.start(finish_handshake, context)
    result = await check(probe_context, server.port)
    assert result.outcome == "up"
    assert result.tls is not None and result.tls.tls_version == "TLSv1.2"


async def test_server_that_never_handshakes_times_out(
    fleet: Any, probe_context: ProbeContext
) -> None:
    silent = await fleet.start(never_answer)  # plain TCP: accepts, never answers
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await check(probe_context, silent.port, timeout_seconds=0.5)
    assert result.error is not None and result.error.kind is ErrorKind.TIMEOUT
    assert loop.time() - started < 3


async def test_a_server_speaking_no_tls_fails_the_handshake_and_is_invalid(
    fleet: Any, probe_context: ProbeContext
) -> None:
    async def plain_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        await reader.read(1)

    server = await fleet.start(plain_http)
    result = await check(probe_context, server.port)
    assert result.error is not None and result.error.kind is ErrorKind.HANDSHAKE_FAILURE
    assert result.tls is not None and not result.tls.valid


async def test_refused_port(probe_context: ProbeContext, closed_port: int) -> None:
    result = await check(probe_context, closed_port)
    assert result.error is not None and result.error.kind is ErrorKind.REFUSED
    # a server not reached says nothing about its certificate
    assert result.tls is None


async def test_unknown_name_is_a_dns_error(probe_context: ProbeContext) -> None:
    result = await check(probe_context, 443, host="missing.test")
    assert result.error is not None and result.error.kind is ErrorKind.DNS


async def test_loopback_without_allow_list_is_blocked_before_connecting(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    server = await fleet.start(finish_handshake, certs.signed_by_test_ca("good.test"))
    guarded = replace(probe_context, allow=AllowList())
    result = await check(guarded, server.port)
    assert result.error is not None and result.error.kind is ErrorKind.BLOCKED_TARGET
    assert server.connections == 0


async def test_check_ssl_for_the_query_api(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    server = await fleet.start(finish_handshake, certs.signed_by_test_ca("good.test"))
    found = await check_ssl(f"https://good.test:{server.port}", probe_context)
    assert found.error is None and found.tls is not None and found.tls.valid
    broken = await check_ssl("https://good.test:notaport", probe_context)
    assert broken.error is not None and broken.tls is None
