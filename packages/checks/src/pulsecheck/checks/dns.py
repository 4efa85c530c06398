"""The DNS check: ask a nameserver for one record type of one name, judge the answers.

The nameserver is the prober's own (from /etc/resolv.conf, the operator's choice) or one the
monitor names by address, which passes the same outbound guard as any target: a tenant must
not reach an internal resolver through PulseCheck.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import dns.asyncquery
import dns.exception
import dns.message

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.dns_answers import (
    answer_error,
    expectation_error,
    read_response,
    reported,
)
from pulsecheck.checks.failures import ProbeFailure, classify_exception
from pulsecheck.checks.outbound import resolve_target
from pulsecheck.checks.outcome import ProbeOutcome
from pulsecheck.shared.events import CheckRequested, ErrorKind, UptimeResult
from pulsecheck.shared.events.checks import DnsResult
from pulsecheck.shared.events.dns_options import DnsCheckOptions

# the share of the check's timeout spent waiting on nameservers, so the check reports its
# own classified timeout (with the nameserver named) before the hard timeout cuts it off
_QUERY_SHARE = 0.9


def record_name(target: str) -> str:
    """The record a `dns://name` target names (the contract normalised it)."""
    scheme, _, name = target.partition("://")
    if scheme.lower() != "dns" or not name.strip("/"):
        raise ProbeFailure(ErrorKind.PROTOCOL, f"not a dns:// target: {target!r}")
    return name.strip("/")


async def nameservers_for(options: DnsCheckOptions, ctx: ProbeContext) -> list[tuple[str, int]]:
    if options.nameserver is None:
        servers = ctx.system_nameservers()
        if not servers:
            raise ProbeFailure(ErrorKind.DNS, "the prober has no resolver configured")
        return [(server, 53) for server in servers]
    port = options.nameserver_port
    vetted = await resolve_target(options.nameserver, port, ctx.allow, ctx.resolver)
    return [(str(address), port) for address in vetted.addresses]


async def ask(
    query: dns.message.Message, servers: Sequence[tuple[str, int]], wait_seconds: float
) -> tuple[dns.message.Message, str]:
    """The first response from the servers in turn (UDP, TCP when truncated)."""
    failure = ProbeFailure(ErrorKind.TIMEOUT, "no nameserver answered")
    for address, port in servers:
        try:
            response, _ = await dns.asyncquery.udp_with_fallback(
                query, address, timeout=wait_seconds / len(servers), port=port
            )
        except dns.exception.Timeout:
            failure = ProbeFailure(
                ErrorKind.TIMEOUT, f"no answer from {address} within the timeout"
            )
        except dns.exception.DNSException as exc:
            failure = ProbeFailure(ErrorKind.PROTOCOL, f"bad response from {address}: {exc}")
        except OSError as exc:
            failure = ProbeFailure(ErrorKind.CONNECTION, f"{address}: {exc.strerror or exc!r}")
        else:
            return response, address
    raise failure


async def run(request: CheckRequested, ctx: ProbeContext) -> ProbeOutcome:
    options = request.dns or DnsCheckOptions()
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        query = dns.message.make_query(record_name(request.target), options.record_type)
        servers = await nameservers_for(options, ctx)
        response, server = await ask(query, servers, request.timeout_seconds * _QUERY_SHARE)
    except Exception as exc:
        latency_ms = (loop.time() - started) * 1000
        return ProbeOutcome(
            error=classify_exception(exc), uptime=UptimeResult(latency_ms=latency_ms)
        )
    uptime = UptimeResult(latency_ms=(loop.time() - started) * 1000)
    answer = read_response(response)
    result = DnsResult(
        record_type=options.record_type,
        nameserver=server,
        rcode=answer.rcode,
        answers=reported(answer.answers),
        ttl=answer.ttl,
    )
    error = answer_error(answer) or expectation_error(options, answer.answers)
    return ProbeOutcome(error=error, uptime=uptime, dns=result)
