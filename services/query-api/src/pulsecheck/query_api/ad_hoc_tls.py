"""`GET /check-ssl` runs the prober's TLS check in this process, with one ProbeContext.

The context (system trust store + optional extra CA, SSRF allow-list) costs ~40 ms to build,
so the app factory builds it once and every request reuses it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pulsecheck.checks import ProbeContext, ProbeOutcome, check_ssl
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.shared.events.common import DEFAULT_WARNING_DAYS


class TlsProbe(Protocol):
    """Checks the certificate `url` presents; never raises for anything the target does."""

    async def __call__(self, url: str) -> ProbeOutcome: ...


@dataclass(frozen=True)
class InProcessTlsProbe:
    context: ProbeContext
    timeout_seconds: float
    warning_days: Sequence[int] = DEFAULT_WARNING_DAYS

    async def __call__(self, url: str) -> ProbeOutcome:
        return await check_ssl(url, self.context, self.warning_days, self.timeout_seconds)


def build_tls_probe(settings: QueryApiSettings, clock: Callable[[], datetime]) -> InProcessTlsProbe:
    """The probe the API answers with, from `target_allow_list` and `extra_ca_file`."""
    context = ProbeContext.build(
        region="query-api",
        allow=settings.allow_list(),
        extra_ca_pem=settings.extra_ca_pem(),
        clock=clock,
    )
    return InProcessTlsProbe(context, settings.check_ssl_timeout_seconds)
