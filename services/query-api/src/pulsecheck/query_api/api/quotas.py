"""Tenant quotas: how many monitors and channels an account holds, how often a monitor may
run, and which ports a TCP check may reach. Checked before anything is published.

The deployment's settings are the defaults; an account's own row may override them
(`pulsecheck-admin set-limits`). The smallest interval is never below the deployment's,
since the scheduler raises shorter intervals to it anyway.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.account_limits import (
    LimitOverrides,
    limit_overrides,
    live_channel_count,
    live_monitor_count,
)
from pulsecheck.read_model.storage.connection import Connection
from pulsecheck.shared.events import MonitorSpec
from pulsecheck.shared.events.targets import target_scheme


@dataclass(frozen=True)
class Limits:
    max_monitors: int
    max_channels: int
    min_interval_seconds: int
    # None: any port
    tcp_ports: frozenset[int] | None


def limits_for(settings: QueryApiSettings, overrides: LimitOverrides) -> Limits:
    own_interval = overrides.min_interval_seconds or settings.min_interval_seconds
    return Limits(
        max_monitors=_or(overrides.max_monitors, settings.max_monitors_per_account),
        max_channels=_or(overrides.max_channels, settings.max_channels_per_account),
        min_interval_seconds=max(settings.min_interval_seconds, own_interval),
        tcp_ports=None if overrides.any_tcp_port else settings.tcp_ports(),
    )


def _or(override: int | None, default: int) -> int:
    return default if override is None else override


def tcp_port(url: str) -> int | None:
    """The port a TCP check of `url` connects to (the scheme's default when none is named)."""
    try:
        named = urlsplit(url).port
    except ValueError:
        return None
    scheme = target_scheme(url)
    return named or (scheme.default_port if scheme else None)


def monitor_refusal(
    limits: Limits, spec: MonitorSpec, live_monitors: int | None
) -> ApiError | None:
    """Why `spec` may not be published (None: it may); `live_monitors` only for a new one."""
    if live_monitors is not None and live_monitors >= limits.max_monitors:
        return ApiError(
            403,
            "quota_exceeded",
            f"this account may hold at most {limits.max_monitors} monitors (quota max_monitors)",
            quota="max_monitors",
            limit=limits.max_monitors,
        )
    if spec.interval_seconds < limits.min_interval_seconds:
        return ApiError(
            422,
            "quota_exceeded",
            f"interval_seconds must be at least {limits.min_interval_seconds} for this account"
            " (quota min_interval_seconds)",
            quota="min_interval_seconds",
            limit=limits.min_interval_seconds,
            field="interval_seconds",
        )
    port = tcp_port(spec.url) if "tcp" in spec.check_kinds else None
    if limits.tcp_ports is not None and port is not None and port not in limits.tcp_ports:
        allowed = ", ".join(str(p) for p in sorted(limits.tcp_ports))
        return ApiError(
            422,
            "port_not_allowed",
            f"TCP checks may reach only ports {allowed} (policy allowed_tcp_ports); port {port} is"
            " not allowed for this account",
            policy="allowed_tcp_ports",
            field="url",
        )
    return None


async def account_lock(conn: Connection, account_id: uuid.UUID, what: str) -> None:
    # serialises an account's creations, so two concurrent POSTs cannot both take the last
    # place; held until the caller's transaction ends
    key = f"{account_id}|quota|{what}"
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))


async def enforce_monitor_limits(
    context: AppContext, conn: Connection, account_id: uuid.UUID, spec: MonitorSpec, *, new: bool
) -> None:
    """Raise the 4xx of the first quota `spec` breaks; call inside the command's transaction."""
    limits = limits_for(context.settings, await limit_overrides(conn, account_id))
    live = None
    if new:
        await account_lock(conn, account_id, "monitors")
        live = await live_monitor_count(conn, account_id)
    refusal = monitor_refusal(limits, spec, live)
    if refusal is not None:
        raise refusal


async def enforce_channel_quota(
    context: AppContext, conn: Connection, account_id: uuid.UUID
) -> None:
    """Raise 403 when the account holds its quota of channels; call inside the transaction."""
    limits = limits_for(context.settings, await limit_overrides(conn, account_id))
    await account_lock(conn, account_id, "channels")
    if await live_channel_count(conn, account_id) >= limits.max_channels:
        raise ApiError(
            403,
            "quota_exceeded",
            f"this account may hold at most {limits.max_channels} channels (quota max_channels)",
            quota="max_channels",
            limit=limits.max_channels,
        )
