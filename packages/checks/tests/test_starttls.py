"""Certificates behind STARTTLS and its kin: loopback servers speaking each protocol's upgrade,
with certificates from the test CA; the facts must be those of the https TLS check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.registry import run_check
from pulsecheck.checks.starttls import UPGRADES
from pulsecheck.shared.events import CheckCompleted, CheckRequested, ErrorKind
from pulsecheck.shared.events.targets import TARGET_SCHEMES
from pulsecheck.testing.starttls_servers import UPGRADING_SERVERS

PROTOCOLS = sorted(UPGRADING_SERVERS)


def tls_request(target: str) -> CheckRequested:
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
    return CheckRequested.model_validate(fields)


async def check_behind(
    scheme: str, fleet: Any, probe_context: ProbeContext, tls: Any
) -> CheckCompleted:
    server = await fleet.start(UPGRADING_SERVERS[scheme](tls))
    return await run_check(tls_request(f"{scheme}://good.test:{server.port}"), probe_context)


def test_every_scheme_that_upgrades_has_its_exchange() -> None:
    upgrades = {s.upgrade for s in TARGET_SCHEMES.values() if s.upgrade is not None}
    assert upgrades == set(UPGRADES) == set(UPGRADING_SERVERS)


@pytest.mark.parametrize("scheme", PROTOCOLS)
async def test_the_certificate_behind_the_upgrade(
    scheme: str, fleet: Any, probe_context: ProbeContext, certs: Any
) -> None:
    not_after = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)
    tls = certs.signed_by_test_ca("good.test", not_after=not_after)
    result = await check_behind(scheme, fleet, probe_context, tls)
    assert result.outcome == "up", result.error
    assert result.uptime is None and result.tls is not None
    facts = result.tls
    assert facts.valid and facts.hostname_match and not facts.needs_renewal
    assert facts.expiry_date == not_after and facts.days_remaining in (59, 60)
    assert facts.chain_earliest_expiry is not None and facts.chain_earliest_expiry <= not_after
    assert facts.issuer and facts.issuer_organization == "PulseCheck Test CA"
    assert facts.tls_version and "good.test" in facts.sans


@pytest.mark.parametrize("scheme", PROTOCOLS)
async def test_a_certificate_expiring_in_five_days_needs_renewal(
    scheme: str, fleet: Any, probe_context: ProbeContext, certs: Any
) -> None:
    tls = certs.signed_by_test_ca(
        "good.test", not_after=datetime.now(UTC) + timedelta(days=5, hours=1)
    )
    result = await check_behind(scheme, fleet, probe_context, tls)
    assert result.outcome == "up" and result.tls is not None
    assert result.tls.days_remaining == 5 and result.tls.needs_renewal


@pytest.mark.parametrize("scheme", PROTOCOLS)
async def test_a_certificate_for_another_host_is_a_mismatch_with_its_facts(
    scheme: str, fleet: Any, probe_context: ProbeContext, certs: Any
) -> None:
    result = await check_behind(scheme, fleet, probe_context, certs.signed_by_test_ca("other.test"))
    assert result.outcome == "down"
    assert result.error is not None and result.error.kind == ErrorKind.HOSTNAME_MISMATCH
    assert result.tls is not None and result.tls.hostname_match is False
    assert result.tls.sans == ["other.test"]


@pytest.mark.parametrize("scheme", PROTOCOLS)
async def test_a_server_refusing_the_upgrade_is_classified(
    scheme: str, fleet: Any, probe_context: ProbeContext
) -> None:
    result = await check_behind(scheme, fleet, probe_context, None)
    assert result.outcome == "down"
    assert result.error is not None and result.error.kind == ErrorKind.STARTTLS_REFUSED, (
        result.error
    )
    # no TLS where TLS is the point: an invalid certificate verdict, which the notifier alerts on
    assert result.tls is not None and not result.tls.valid


async def test_plain_tls_on_any_port(fleet: Any, probe_context: ProbeContext, certs: Any) -> None:
    async def hold(reader: Any, writer: Any) -> None:
        await reader.read(1)

    server = await fleet.start(hold, tls=certs.signed_by_test_ca("good.test"))
    result = await run_check(tls_request(f"tls://good.test:{server.port}"), probe_context)
    assert result.outcome == "up" and result.tls is not None and result.tls.valid


async def test_a_server_that_is_not_the_protocol_is_a_protocol_error(
    fleet: Any, probe_context: ProbeContext
) -> None:
    async def http_server(reader: Any, writer: Any) -> None:
        writer.write(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        await writer.drain()
        await reader.read(1)

    server = await fleet.start(http_server)
    result = await run_check(tls_request(f"smtp://good.test:{server.port}"), probe_context)
    assert result.error is not None and result.error.kind == ErrorKind.PROTOCOL
