"""Value types shared by several events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from pulsecheck.shared.events.plain_text import Label, multiline_text, plain_text
from pulsecheck.shared.sealing import is_sealed

CheckKind = Literal["http", "tls", "tcp", "dns", "heartbeat"]
# kinds that say whether a target is up; `tls` judges a certificate
UPTIME_KINDS: frozenset[CheckKind] = frozenset({"http", "tcp", "dns", "heartbeat"})
# kinds nobody probes: the target reports in (pings) and the scheduler judges the silence
PUSHED_KINDS: frozenset[CheckKind] = frozenset({"heartbeat"})
# which channels exist is the channel registry's to say (pulsecheck.channels); contracts only
# bound the name, and the API and the notifier check it against the registry
ChannelKind = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z][a-z0-9_]*$")]
Outcome = Literal["up", "down", "degraded"]

DEFAULT_WARNING_DAYS: tuple[int, ...] = (30, 14, 7, 3, 1)


class Contract(BaseModel):
    """Base of every payload: immutable, and strict about unknown fields on the way in."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorKind(StrEnum):
    """Classified reasons a check failed; consumers may switch on these."""

    DNS = "dns"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    TLS = "tls"
    STATUS = "status"
    ASSERTION = "assertion"
    TOO_LARGE = "too_large"
    REDIRECTS = "redirects"
    BLOCKED_TARGET = "blocked_target"
    PROTOCOL = "protocol"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    SELF_SIGNED = "self_signed"
    UNTRUSTED_ROOT = "untrusted_root"
    HOSTNAME_MISMATCH = "hostname_mismatch"
    HANDSHAKE_FAILURE = "handshake_failure"
    # the server does not offer, or refused, the upgrade to TLS (SMTP, IMAP, POP3, LDAP, PostgreSQL)
    STARTTLS_REFUSED = "starttls_refused"
    # a nameserver's answers: the name does not exist, the server failed, or no record of the type
    NXDOMAIN = "nxdomain"
    SERVFAIL = "servfail"
    NO_ANSWER = "no_answer"
    # a heartbeat: no ping in time, a ping reporting failure, a started run that never ended
    MISSED_PING = "missed_ping"
    PING_FAILURE = "ping_failure"
    RUN_TOO_LONG = "run_too_long"
    INTERNAL = "internal"


class CheckError(Contract):
    kind: ErrorKind
    message: str


class StatusRange(Contract):
    """An inclusive range of accepted HTTP status codes."""

    low: Annotated[int, Field(ge=100, le=599)]
    high: Annotated[int, Field(ge=100, le=599)]

    @model_validator(mode="after")
    def _ordered(self) -> StatusRange:
        if self.low > self.high:
            raise ValueError("low must not exceed high")
        return self

    def accepts(self, status: int) -> bool:
        return self.low <= status <= self.high


# every count and size below is capped so one monitor's spec stays a small record that any
# consumer can plan, store and render; the figures are generous for real monitors
MAX_HEADERS = 50
MAX_ASSERTIONS = 20
MAX_JSON_VALUE_CHARS = 1024
MAX_LATENCY_MS = 600_000

HeaderName = Annotated[
    str, Field(min_length=1, max_length=256, pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
]
MAX_HEADER_VALUE = 4096
# a sealed value of MAX_HEADER_VALUE characters: base64 of the ciphertext, key, nonce and kid
MAX_SEALED_HEADER_VALUE = 5632


def _header_value_size(value: str) -> str:
    if len(value) > MAX_HEADER_VALUE and not is_sealed(value):
        raise ValueError(f"a header value is at most {MAX_HEADER_VALUE} characters")
    return value


HeaderValue = Annotated[
    str,
    Field(max_length=MAX_SEALED_HEADER_VALUE),
    AfterValidator(plain_text),
    AfterValidator(_header_value_size),
]
BodyAssertion = Annotated[str, Field(min_length=1, max_length=1024), AfterValidator(multiline_text)]
JsonPointer = Annotated[str, Field(max_length=256), AfterValidator(plain_text)]
LatencyMs = Annotated[int, Field(gt=0, le=MAX_LATENCY_MS)]


def _texts_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_texts_in(k), *_texts_in(v))]
    if isinstance(value, list):
        return [t for item in value for t in _texts_in(item)]
    return []


def _small_json_value(value: Any) -> Any:
    """A JSON value to compare against: small, and without text PostgreSQL refuses."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError("must be a JSON value") from exc
    if len(text) > MAX_JSON_VALUE_CHARS:
        raise ValueError(f"must serialise to at most {MAX_JSON_VALUE_CHARS} characters")
    for part in _texts_in(value):
        plain_text(part)
    return value


JsonValue = Annotated[Any, AfterValidator(_small_json_value)]


def _no_host_header(headers: dict[str, str]) -> dict[str, str]:
    # the probe sends the vetted URL's host: a monitor's own Host would aim a virtual-hosted
    # proxy or load balancer at a site other than the one the guard vetted
    if any(name.lower() == "host" for name in headers):
        raise ValueError("Host is not allowed: the probe sends the URL's host")
    return headers


def _omitted_when_empty(value: list[str]) -> bool:
    return not value


class HttpCheckOptions(Contract):
    method: Literal["GET", "HEAD", "POST", "PUT", "OPTIONS"] = "GET"
    headers: Annotated[
        dict[HeaderName, HeaderValue],
        Field(max_length=MAX_HEADERS),
        AfterValidator(_no_host_header),
    ] = Field(default_factory=dict)
    # headers sealed to the prober's key besides Authorization, Cookie and Proxy-Authorization
    # (e.g. X-Api-Key): the API stores and returns them masked; left out when empty, so events
    # from before it existed stay as they were
    secret_headers: Annotated[list[HeaderName], Field(max_length=MAX_HEADERS)] = Field(
        default_factory=list, exclude_if=_omitted_when_empty
    )
    expected_status: Annotated[list[StatusRange], Field(min_length=1, max_length=20)] = Field(
        default_factory=lambda: [StatusRange(low=200, high=399)]
    )
    follow_redirects: bool = True
    max_redirects: Annotated[int, Field(ge=0, le=20)] = 5
    body_contains: Annotated[list[BodyAssertion], Field(max_length=MAX_ASSERTIONS)] = Field(
        default_factory=list
    )
    body_not_contains: Annotated[list[BodyAssertion], Field(max_length=MAX_ASSERTIONS)] = Field(
        default_factory=list
    )
    # JSON pointer (RFC 6901) -> expected value, e.g. {"/status": "ok"}
    json_field_equals: Annotated[dict[JsonPointer, JsonValue], Field(max_length=MAX_ASSERTIONS)] = (
        Field(default_factory=dict)
    )
    degraded_latency_ms: LatencyMs | None = None
    max_body_bytes: Annotated[int, Field(gt=0, le=16 * 1024 * 1024)] = 1024 * 1024


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name


def _iso_instant(value: str) -> str:
    _parsed_instant(value)
    return value


def _parsed_instant(value: str) -> datetime:
    """An ISO 8601 instant; one without an offset is read as UTC, as the notifier reads it."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an ISO 8601 instant") from exc
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
TimeZoneName = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_known_zone)]
IsoInstant = Annotated[
    str,
    Field(min_length=10, max_length=64, description="ISO 8601 instant"),
    AfterValidator(_iso_instant),
]


class QuietHours(Contract):
    """Daily window (local wall-clock in `timezone`) during which notifications wait."""

    start: ClockTime
    end: ClockTime
    timezone: TimeZoneName = "UTC"


class MaintenanceWindow(Contract):
    starts_at: IsoInstant
    ends_at: IsoInstant

    @model_validator(mode="after")
    def _ordered(self) -> MaintenanceWindow:
        if _parsed_instant(self.starts_at) >= _parsed_instant(self.ends_at):
            raise ValueError("starts_at must be before ends_at")
        return self


MAX_REMINDER_MINUTES = 30 * 24 * 60
MAX_REGIONS = 20


def _channel_choice(value: Any) -> str:
    return "all" if isinstance(value, str) else "ids"


# one branch judged per value, so a refusal names one field ("channels.ids.0"), not two
ChannelChoice = Annotated[
    Annotated[Literal["all"], Tag("all")]
    | Annotated[list[Label], Field(min_length=1, max_length=20), Tag("ids")],
    Discriminator(_channel_choice),
]


class AlertRules(Contract):
    failures_before_incident: Annotated[int, Field(ge=1, le=100)] = 3
    minutes_down_before_incident: Annotated[int, Field(ge=1, le=7 * 24 * 60)] | None = None
    successes_before_resolve: Annotated[int, Field(ge=1, le=100)] = 2
    # None: a majority of the regions reporting
    region_quorum: Annotated[int, Field(ge=1, le=MAX_REGIONS)] | None = None
    latency_threshold_ms: LatencyMs | None = None
    notify_degraded: bool = False
    # bounded so "now + reminder" always fits a datetime (10**13 minutes overflowed the timer)
    reminder_minutes: Annotated[int, Field(ge=1, le=MAX_REMINDER_MINUTES)] | None = None
    quiet_hours: QuietHours | None = None
    maintenance_windows: Annotated[list[MaintenanceWindow], Field(max_length=50)] = Field(
        default_factory=list
    )
    # "all": every channel of the account, now and later; else at least one channel id
    channels: ChannelChoice = "all"

    @model_validator(mode="before")
    @classmethod
    def _upcast_channel_ids(cls, data: Any) -> Any:
        # rules written before `channels` named them `channel_ids`, where [] meant every channel
        if isinstance(data, dict) and "channel_ids" in data:
            old = data["channel_ids"]
            data = {k: v for k, v in data.items() if k != "channel_ids"}
            data.setdefault("channels", old if old else "all")
        return data
