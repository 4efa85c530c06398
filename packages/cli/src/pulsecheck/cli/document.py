"""The monitors file: the websites and channels an account declares, validated by the same
contract the API applies (pulsecheck.shared), with channels named instead of numbered.

Identity is the name: a website or channel name is unique within the file, and apply matches
the account's websites and channels by it. Secrets are never in the file: a channel names the
environment variable that holds its target (`target_env`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from pulsecheck.channels.registry import KnownChannelKind
from pulsecheck.shared.events import AlertRules, HttpCheckOptions, MonitorConfiguration
from pulsecheck.shared.events.common import DEFAULT_WARNING_DAYS
from pulsecheck.shared.events.cron import CronExpression
from pulsecheck.shared.events.dns_options import DnsCheckOptions
from pulsecheck.shared.events.heartbeats import HeartbeatOptions
from pulsecheck.shared.events.monitors import (
    CheckKinds,
    IntervalSeconds,
    MonitorName,
    MonitorUrl,
    Regions,
    TimeoutSeconds,
    WarningDays,
)
from pulsecheck.shared.events.plain_text import plain_text
from pulsecheck.shared.events.targets import default_kinds

FORMAT_VERSION: Literal[1] = 1

ChannelName = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(plain_text)]
EnvName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=128)]


class Declaration(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ChannelDeclaration(Declaration):
    name: ChannelName = Field(description="unique in the file: apply matches channels by name")
    kind: KnownChannelKind
    target_env: EnvName = Field(
        description="the environment variable holding the target (URL, address or number)"
    )
    enabled: bool = True
    event_types: list[str] = Field(default_factory=list)


class AlertRulesDeclaration(AlertRules):
    """A website's alert rules, naming its channels by their names in this file."""

    channels: Literal["all"] | Annotated[list[ChannelName], Field(min_length=1, max_length=20)] = (
        "all"
    )


class WebsiteDeclaration(Declaration):
    """A monitor of any kind (http, tls, tcp, dns, STARTTLS, heartbeat), chosen by its URL.
    The defaults are the contract's (a test holds them equal)."""

    name: MonitorName = Field(description="unique in the file: apply matches websites by name")
    url: MonitorUrl
    check_kinds: CheckKinds | None = Field(
        default=None, description="default: by the URL's scheme (https: http and tls; …)"
    )
    interval_seconds: IntervalSeconds = 300
    timeout_seconds: TimeoutSeconds = 10.0
    tls_schedule: CronExpression = "0 0 * * *"
    http: HttpCheckOptions = Field(default_factory=HttpCheckOptions)
    dns: DnsCheckOptions | None = None
    heartbeat: HeartbeatOptions | None = None
    warning_days: WarningDays = Field(default_factory=lambda: list(DEFAULT_WARNING_DAYS))
    paused: bool = False
    regions: Regions = Field(default_factory=list)
    alert_rules: AlertRulesDeclaration = Field(default_factory=AlertRulesDeclaration)

    @model_validator(mode="after")
    def _fits_the_contract(self) -> WebsiteDeclaration:
        # the cross-field rules (kinds fit the URL, dns options need dns://) are the contract's
        fields = self.full_form()
        fields["alert_rules"]["channels"] = "all"
        try:
            MonitorConfiguration.model_validate(fields)
        except ValidationError as exc:
            raise ValueError("; ".join(_problem(e) for e in exc.errors())) from None
        return self

    def full_form(self) -> dict[str, Any]:
        """Every field as JSON, defaults and check kinds spelled out: what diffs compare."""
        fields = self.model_dump(mode="json")
        fields["check_kinds"] = fields["check_kinds"] or default_kinds(self.url)
        return fields

    def compact_form(self) -> dict[str, Any]:
        """Only what differs from the defaults: what a file says."""
        return self.model_dump(mode="json", exclude_defaults=True)


def _problem(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def _repeated(names: Iterable[str]) -> list[str]:
    return sorted(name for name, count in Counter(names).items() if count > 1)


class MonitorsFile(Declaration):
    """What `pulsecheck apply` makes true and `pulsecheck export` writes."""

    version: Literal[1] = FORMAT_VERSION
    channels: list[ChannelDeclaration] = Field(default_factory=list)
    websites: list[WebsiteDeclaration] = Field(default_factory=list)

    @model_validator(mode="after")
    def _names_identify(self) -> MonitorsFile:
        for what, names in (
            ("channel", [c.name for c in self.channels]),
            ("website", [w.name for w in self.websites]),
        ):
            if repeated := _repeated(names):
                raise ValueError(f"{what} names must be unique: {', '.join(repeated)}")
        declared = {c.name for c in self.channels}
        for website in self.websites:
            named = website.alert_rules.channels
            unknown = [] if named == "all" else sorted(set(named) - declared)
            if unknown:
                raise ValueError(
                    f"website {website.name!r} names undeclared channels: {', '.join(unknown)}"
                )
        return self

    def compact_form(self) -> dict[str, Any]:
        """The file's data in a stable order: channels and websites sorted by name."""
        return {
            "version": self.version,
            "channels": [
                c.model_dump(mode="json", exclude_defaults=True)
                for c in sorted(self.channels, key=lambda c: c.name)
            ],
            "websites": [w.compact_form() for w in sorted(self.websites, key=lambda w: w.name)],
        }


def env_name_for(channel_name: str) -> str:
    """The environment variable export names for a channel's target: a channel's name as
    PULSECHECK_CHANNEL_<NAME>, since the account cannot say which variable a file used."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", channel_name).strip("_").upper()
    return f"PULSECHECK_CHANNEL_{stem}" if stem else "PULSECHECK_CHANNEL"
