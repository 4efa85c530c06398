"""A DNS check's configuration: which record, whom to ask, what the answer must be."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.plain_text import plain_text

DnsRecordType = Literal["A", "AAAA", "CNAME", "MX", "TXT", "NS", "CAA"]

MAX_DNS_VALUES = 20
MAX_PATTERN_CHARS = 256


def _ip_literal(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError as exc:
        # a resolver named by host name would need a resolver to find it
        raise ValueError("must be an IP address") from exc


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from exc
    return pattern


DnsValue = Annotated[str, Field(min_length=1, max_length=512), AfterValidator(plain_text)]
NameserverAddress = Annotated[str, Field(min_length=2, max_length=45), AfterValidator(_ip_literal)]
AnswerPattern = Annotated[
    str,
    Field(min_length=1, max_length=MAX_PATTERN_CHARS),
    AfterValidator(plain_text),
    AfterValidator(_compiles),
]


class DnsCheckOptions(Contract):
    """Every expectation that is set must hold; none set: the record must merely exist."""

    record_type: DnsRecordType = "A"
    # None: the prober's own resolvers; an address is vetted by the outbound guard like a target
    nameserver: NameserverAddress | None = None
    nameserver_port: Annotated[int, Field(ge=1, le=65535)] = 53
    # the answers, as a set, are exactly these (names compare without case or final dot)
    answers_equal: (
        Annotated[list[DnsValue], Field(min_length=1, max_length=MAX_DNS_VALUES)] | None
    ) = None
    # each of these is among the answers
    answers_contain: Annotated[list[DnsValue], Field(max_length=MAX_DNS_VALUES)] = Field(
        default_factory=list
    )
    # at least one answer matches (Python `re.search`)
    answer_matches: AnswerPattern | None = None


def omitted_when_none(value: Any) -> bool:
    """Optional parts added to a v1 event stay off the wire when absent, so records of the
    older kinds are byte-for-byte what v1 subscribers (extra fields forbidden) already read."""
    return value is None
