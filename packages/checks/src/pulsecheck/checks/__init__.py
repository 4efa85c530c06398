"""The check library: one module per kind behind one signature, and the one outbound guard.

Importable without Kafka: the prober runs it, query-api's on-demand checks and the notifier's
webhook/Slack deliveries use it. Callers import from here or from the modules, never the prober.
"""

from __future__ import annotations

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.outbound import (
    Resolver,
    SystemResolver,
    TargetGuard,
    VettedTarget,
    resolve_target,
)
from pulsecheck.checks.outcome import ProbeOutcome
from pulsecheck.checks.registry import CHECKS, Check, run_check
from pulsecheck.checks.tls import check_ssl

__all__ = [
    "CHECKS",
    "Check",
    "ProbeContext",
    "ProbeOutcome",
    "Resolver",
    "SystemResolver",
    "TargetGuard",
    "VettedTarget",
    "check_ssl",
    "resolve_target",
    "run_check",
]
