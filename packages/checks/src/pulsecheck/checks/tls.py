"""The TLS check: verify chain and host name; on failure, still read what the server presents.

TLS from the first byte for https:// and tls:// targets; after the protocol's upgrade
(`starttls.UPGRADES`) for smtp://, imap://, pop3://, ldap:// and postgres:// ones.
Also the entry point the query-api calls for `GET /check-ssl` (`check_ssl`).
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from pulsecheck.checks.certificates import (
    certificate_facts,
    days_remaining,
    earliest_expiry,
    hostname_matches,
    needs_renewal,
)
from pulsecheck.checks.connection import Upgrade, open_vetted, vet
from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.failures import classify_exception
from pulsecheck.checks.outcome import ProbeOutcome
from pulsecheck.checks.starttls import upgrade_for
from pulsecheck.checks.targets import parse_host_port
from pulsecheck.checks.tls_verdicts import handshake_error, verification_error
from pulsecheck.shared.events import CheckError, CheckRequested, ErrorKind, TlsResult
from pulsecheck.shared.events.common import DEFAULT_WARNING_DAYS

_DER = getattr(ssl, "_ssl").ENCODING_DER  # noqa: B009 - not re-exported by `ssl`
# the server answered but set up no TLS session: its TLS is broken as surely as by a bad
# certificate, so the result says invalid (and the notifier alerts); a server not reached
# (refused, timeout, DNS) says nothing about its certificate
NO_TLS_SESSION: Final = frozenset({ErrorKind.HANDSHAKE_FAILURE, ErrorKind.STARTTLS_REFUSED})


@dataclass(frozen=True)
class Handshake:
    # leaf first, as presented by the server
    chain_der: tuple[bytes, ...]
    version: str | None
    cipher: str | None


def presented_chain(ssl_object: ssl.SSLObject) -> tuple[bytes, ...]:
    """Every certificate the server sent. Public API from Python 3.13; on 3.11/3.12 the
    same OpenSSL call is reachable on the private `_sslobj`; else only the leaf."""
    getter: Any = getattr(ssl_object, "get_unverified_chain", None)
    if getter is None:
        getter = getattr(getattr(ssl_object, "_sslobj", None), "get_unverified_chain", None)
    if getter is not None:
        chain = getter() or []
        return tuple(c if isinstance(c, bytes) else c.public_bytes(_DER) for c in chain)
    leaf = ssl_object.getpeercert(binary_form=True)
    return (leaf,) if leaf else ()


async def handshake(
    host: str,
    port: int,
    ctx: ProbeContext,
    context: ssl.SSLContext,
    upgrade: Upgrade | None = None,
) -> Handshake:
    connection = await open_vetted(await vet(host, port, ctx), context, host, upgrade)
    try:
        ssl_object = connection.ssl_object()
        assert ssl_object is not None, "start_tls completed"
        cipher = ssl_object.cipher()
        return Handshake(
            presented_chain(ssl_object), ssl_object.version(), cipher[0] if cipher else None
        )
    finally:
        connection.abort()


def tls_result(
    shake: Handshake, host: str, valid: bool, now: datetime, warning_days: Sequence[int]
) -> TlsResult:
    if not shake.chain_der:
        return TlsResult(valid=False, tls_version=shake.version, cipher=shake.cipher)
    chain = [certificate_facts(der) for der in shake.chain_der]
    leaf = chain[0]
    earliest = earliest_expiry(chain) or leaf.not_after
    return TlsResult(
        valid=valid,
        not_before=leaf.not_before,
        expiry_date=leaf.not_after,
        days_remaining=days_remaining(leaf.not_after, now),
        issuer=leaf.issuer_cn or leaf.issuer_organization or leaf.issuer,
        issuer_organization=leaf.issuer_organization,
        subject=leaf.subject_cn or leaf.subject,
        sans=list(leaf.sans),
        serial=leaf.serial,
        fingerprint_sha256=leaf.fingerprint_sha256,
        chain_earliest_expiry=earliest,
        # a verified handshake already matched the name (OpenSSL's rules)
        hostname_match=valid or hostname_matches(leaf, host),
        self_signed=leaf.self_signed,
        tls_version=shake.version,
        cipher=shake.cipher,
        # the chain breaks when its first certificate expires, leaf or not
        needs_renewal=needs_renewal(earliest, now, warning_days),
    )


def without_certificate(error: CheckError) -> ProbeOutcome:
    """A check that read no certificate: invalid when the server refused TLS, else unjudged."""
    return ProbeOutcome(
        error=error, tls=TlsResult(valid=False) if error.kind in NO_TLS_SESSION else None
    )


async def inspect(
    host: str,
    port: int,
    ctx: ProbeContext,
    warning_days: Sequence[int],
    upgrade: Upgrade | None = None,
) -> ProbeOutcome:
    try:
        verified = await handshake(host, port, ctx, ctx.verify_tls, upgrade)
    except ssl.SSLCertVerificationError as exc:
        error = verification_error(exc)
    except ssl.SSLError as exc:
        return without_certificate(handshake_error(exc))
    except Exception as exc:
        return without_certificate(classify_exception(exc))
    else:
        return ProbeOutcome(tls=tls_result(verified, host, True, ctx.clock(), warning_days))
    try:
        unverified = await handshake(host, port, ctx, ctx.inspect_tls, upgrade)
    except Exception:
        return ProbeOutcome(error=error, tls=TlsResult(valid=False))
    return ProbeOutcome(
        error=error, tls=tls_result(unverified, host, False, ctx.clock(), warning_days)
    )


async def run(request: CheckRequested, ctx: ProbeContext) -> ProbeOutcome:
    try:
        host, port = parse_host_port(request.target, 443)
    except Exception as exc:
        return ProbeOutcome(error=classify_exception(exc))
    return await inspect(host, port, ctx, request.warning_days, upgrade_for(request.target))


async def check_ssl(
    url: str,
    ctx: ProbeContext,
    warning_days: Sequence[int] = DEFAULT_WARNING_DAYS,
    timeout_seconds: float = 10.0,
) -> ProbeOutcome:
    """One ad-hoc certificate check (`GET /check-ssl?url=`): `.tls` and `.error`."""
    try:
        host, port = parse_host_port(url, 443)
        async with asyncio.timeout(timeout_seconds):
            return await inspect(host, port, ctx, warning_days, upgrade_for(url))
    except Exception as exc:
        return ProbeOutcome(error=classify_exception(exc))
