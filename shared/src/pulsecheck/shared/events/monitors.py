"""Events of `pulsecheck.monitors`: the registered monitors, compacted by monitor id.

Every rule of a monitor's configuration lives in these models, so the API refuses exactly
what the consumers would: a spec that validates here can be planned, judged and stored.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from pulsecheck.shared.events.common import (
    DEFAULT_WARNING_DAYS,
    MAX_REGIONS,
    AlertRules,
    CheckKind,
    Contract,
    HttpCheckOptions,
)
from pulsecheck.shared.events.cron import CronExpression
from pulsecheck.shared.events.dns_options import DnsCheckOptions, omitted_when_none
from pulsecheck.shared.events.heartbeats import HeartbeatOptions
from pulsecheck.shared.events.plain_text import Label, plain_text
from pulsecheck.shared.events.targets import (
    default_kinds,
    kind_problem,
    normalized_target,
    scheme_of,
)
from pulsecheck.shared.monitor_urls import MAX_URL_LENGTH


def _distinct_kinds(kinds: list[CheckKind]) -> list[CheckKind]:
    if len(set(kinds)) != len(kinds):
        raise ValueError("check_kinds must not repeat a kind")
    return kinds


def _distinct_days(days: list[int]) -> list[int]:
    if len(set(days)) != len(days):
        raise ValueError("warning_days must not repeat a day")
    # the first warning is the farthest day out, whatever order the request used
    return sorted(days, reverse=True)


MonitorName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(plain_text)]
MonitorUrl = Annotated[
    str, Field(min_length=1, max_length=MAX_URL_LENGTH), AfterValidator(normalized_target)
]
CheckKinds = Annotated[
    list[CheckKind], Field(min_length=1, max_length=3), AfterValidator(_distinct_kinds)
]
IntervalSeconds = Annotated[int, Field(ge=1, le=86_400)]
TimeoutSeconds = Annotated[float, Field(gt=0, le=120)]
TlsWindowSeconds = Annotated[int, Field(ge=0, le=86_400)]
WarningDays = Annotated[
    list[Annotated[int, Field(ge=0, le=3650)]],
    Field(max_length=10),
    AfterValidator(_distinct_days),
]
PingTokenHash = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Regions = Annotated[list[Annotated[Label, Field(max_length=64)]], Field(max_length=MAX_REGIONS)]


def _web_kinds() -> list[CheckKind]:
    return default_kinds(None)


class MonitorConfiguration(Contract):
    """What a tenant configures about a monitor: every field, bounded and checked."""

    name: MonitorName
    url: MonitorUrl
    check_kinds: CheckKinds = Field(
        default_factory=_web_kinds,
        validate_default=True,
        description="default: by the URL's scheme (https: http and tls; smtp://: tls; …)",
    )
    interval_seconds: IntervalSeconds = 300
    timeout_seconds: TimeoutSeconds = 10.0
    tls_schedule: CronExpression = "0 0 * * *"
    tls_window_seconds: TlsWindowSeconds = 3600
    http: HttpCheckOptions = Field(default_factory=HttpCheckOptions)
    # a dns:// monitor's record type, resolver and expected answers (None: an A record exists)
    dns: DnsCheckOptions | None = Field(default=None, exclude_if=omitted_when_none)
    # a heartbeat:// monitor's period or schedule and grace (None: the defaults)
    heartbeat: HeartbeatOptions | None = Field(default=None, exclude_if=omitted_when_none)
    warning_days: WarningDays = Field(default_factory=lambda: list(DEFAULT_WARNING_DAYS))
    paused: bool = False
    regions: Regions = Field(default_factory=list)
    alert_rules: AlertRules = Field(default_factory=AlertRules)

    @model_validator(mode="before")
    @classmethod
    def _kinds_default_to_the_scheme(cls, data: Any) -> Any:
        if isinstance(data, dict) and "check_kinds" not in data:
            url = data.get("url")
            return {**data, "check_kinds": default_kinds(url if isinstance(url, str) else None)}
        return data

    @field_validator("check_kinds")
    @classmethod
    def _kinds_fit_the_url(cls, kinds: list[CheckKind], info: ValidationInfo) -> list[CheckKind]:
        # `url` is declared first, so it is in `info.data` whenever it was valid
        url = info.data.get("url")
        problems = [p for kind in kinds if url is not None and (p := kind_problem(kind, url))]
        if problems:
            raise ValueError(problems[0])
        return kinds

    @field_validator("dns")
    @classmethod
    def _dns_options_need_dns(
        cls, options: DnsCheckOptions | None, info: ValidationInfo
    ) -> DnsCheckOptions | None:
        url = info.data.get("url")
        if options is not None and url is not None and scheme_of(url) != "dns":
            raise ValueError("dns options need a dns:// URL")
        return options

    @field_validator("heartbeat")
    @classmethod
    def _heartbeat_options_need_heartbeat(
        cls, options: HeartbeatOptions | None, info: ValidationInfo
    ) -> HeartbeatOptions | None:
        url = info.data.get("url")
        if options is not None and url is not None and scheme_of(url) != "heartbeat":
            raise ValueError("heartbeat options need a heartbeat:// URL")
        return options

    def heartbeat_options(self) -> HeartbeatOptions:
        return self.heartbeat or HeartbeatOptions()


class MonitorSpec(MonitorConfiguration):
    """The full desired state of one monitor; every registration or change carries all of it."""

    monitor_id: Label
    account_id: Label
    # a heartbeat's ping token, hashed (the token itself is shown once, to its owner); the API
    # sets it, and a change of the monitor carries it over
    ping_token_sha256: PingTokenHash | None = Field(default=None, exclude_if=omitted_when_none)


class MonitorRegistered(MonitorSpec):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.monitor.registered.v1"


class MonitorUpdated(MonitorSpec):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.monitor.updated.v1"


class MonitorRemoved(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.monitor.removed.v1"

    monitor_id: Label
    account_id: Label
