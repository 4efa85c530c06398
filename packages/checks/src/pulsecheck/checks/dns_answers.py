"""Reading a nameserver's response and judging it against the expectations (pure)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

import dns.exception
import dns.message
import dns.rcode
import dns.rdatatype

from pulsecheck.shared.events import CheckError, ErrorKind
from pulsecheck.shared.events.checks import MAX_DNS_ANSWERS
from pulsecheck.shared.events.dns_options import DnsCheckOptions

# one answer as it travels in the event; TXT records may be long, the event stays small
MAX_ANSWER_CHARS = 1024


@dataclass(frozen=True)
class DnsAnswer:
    rcode: str
    answers: tuple[str, ...]
    ttl: int | None


def answer_text(rdata: Any) -> str:
    """One record as people write it: names without the final dot, TXT strings joined,
    CAA as `flags tag value`."""
    kind = rdata.rdtype
    if kind in (dns.rdatatype.CNAME, dns.rdatatype.NS):
        return str(rdata.target.to_text(omit_final_dot=True))
    if kind == dns.rdatatype.MX:
        return f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True)}"
    if kind == dns.rdatatype.TXT:
        return b"".join(rdata.strings).decode("utf-8", "replace")
    if kind == dns.rdatatype.CAA:
        return f"{rdata.flags} {rdata.tag.decode()} {rdata.value.decode('utf-8', 'replace')}"
    return str(rdata.to_text())


def read_response(response: dns.message.Message) -> DnsAnswer:
    """The response code, the answers of the asked type (after any CNAME chain) and their TTL."""
    rcode = dns.rcode.to_text(response.rcode())
    if not isinstance(response, dns.message.QueryMessage):
        return DnsAnswer(rcode, (), None)
    try:
        chain = response.resolve_chaining()
    except dns.exception.DNSException:
        # a malformed chain (too long, answers beside NXDOMAIN): judged by its code alone
        return DnsAnswer(rcode, (), None)
    if chain.answer is None:
        return DnsAnswer(rcode, (), None)
    return DnsAnswer(rcode, tuple(answer_text(r) for r in chain.answer), chain.answer.ttl)


def comparable(record_type: str, text: str) -> str:
    """How two answers are compared: addresses canonically, names without case or final dot."""
    value = text.strip()
    if record_type == "TXT":
        return value
    if record_type in ("A", "AAAA"):
        try:
            return ipaddress.ip_address(value).compressed
        except ValueError:
            return value
    return value.lower().rstrip(".")


def answer_error(answer: DnsAnswer) -> CheckError | None:
    """The classified error of a response that has no usable answer."""
    if answer.rcode == "NXDOMAIN":
        return CheckError(kind=ErrorKind.NXDOMAIN, message="the name does not exist (NXDOMAIN)")
    if answer.rcode == "SERVFAIL":
        return CheckError(kind=ErrorKind.SERVFAIL, message="the nameserver failed (SERVFAIL)")
    if answer.rcode != "NOERROR":
        return CheckError(kind=ErrorKind.DNS, message=f"the nameserver answered {answer.rcode}")
    if not answer.answers:
        return CheckError(kind=ErrorKind.NO_ANSWER, message="no record of this type (NODATA)")
    return None


def expectation_error(options: DnsCheckOptions, answers: tuple[str, ...]) -> CheckError | None:
    """The first expectation the answers break, as an assertion error."""
    kind = options.record_type
    got = {comparable(kind, a) for a in answers}
    if options.answers_equal is not None:
        wanted = {comparable(kind, v) for v in options.answers_equal}
        if got != wanted:
            return _assertion(f"answers {sorted(got)} are not exactly {sorted(wanted)}")
    missing = [v for v in options.answers_contain if comparable(kind, v) not in got]
    if missing:
        return _assertion(f"answers {sorted(got)} lack {missing}")
    pattern = options.answer_matches
    if pattern is not None and not any(re.search(pattern, a) for a in answers):
        return _assertion(f"no answer matches {pattern!r}")
    return None


def _assertion(message: str) -> CheckError:
    return CheckError(kind=ErrorKind.ASSERTION, message=message[:500])


def reported(answers: tuple[str, ...]) -> list[str]:
    """The answers as the event carries them: sorted, at most 50, each cut to 1024 characters."""
    return [a[:MAX_ANSWER_CHARS] for a in sorted(answers)[:MAX_DNS_ANSWERS]]
