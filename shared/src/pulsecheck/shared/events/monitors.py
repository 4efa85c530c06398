"""Events of `pulsecheck.monitors`: the registered monitors, compacted by monitor id."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from pulsecheck.shared.events.common import (
    DEFAULT_WARNING_DAYS,
    AlertRules,
    CheckKind,
    Contract,
    HttpCheckOptions,
)


def _default_kinds() -> list[CheckKind]:
    return ["http", "tls"]


class MonitorSpec(Contract):
    """The full desired state of one monitor; every registration or change carries all of it."""

    monitor_id: str
    account_id: str
    name: Annotated[str, Field(min_length=1, max_length=200)]
    url: str
    check_kinds: list[CheckKind] = Field(default_factory=_default_kinds)
    interval_seconds: Annotated[int, Field(ge=1, le=86_400)] = 300
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    tls_schedule: str = "0 0 * * *"
    tls_window_seconds: Annotated[int, Field(ge=0, le=86_400)] = 3600
    http: HttpCheckOptions = Field(default_factory=HttpCheckOptions)
    warning_days: list[Annotated[int, Field(ge=0, le=3650)]] = Field(
        default_factory=lambda: list(DEFAULT_WARNING_DAYS)
    )
    paused: bool = False
    regions: list[str] = Field(default_factory=list)
    alert_rules: AlertRules = Field(default_factory=AlertRules)


class MonitorRegistered(MonitorSpec):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.monitor.registered.v1"


class MonitorUpdated(MonitorSpec):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.monitor.updated.v1"


class MonitorRemoved(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.monitor.removed.v1"

    monitor_id: str
    account_id: str
