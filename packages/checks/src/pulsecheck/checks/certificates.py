"""Certificate analysis (pure): facts from DER, earliest expiry in a chain, name match, renewal."""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from pulsecheck.shared.storable_text import storable


@dataclass(frozen=True)
class CertificateFacts:
    subject: str
    subject_cn: str | None
    issuer: str
    issuer_cn: str | None
    issuer_organization: str | None
    sans: tuple[str, ...]
    serial: str
    fingerprint_sha256: str
    not_before: datetime
    not_after: datetime
    self_signed: bool


def _first(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    # the certificate's owner chose this text: a NUL in it must not reach PostgreSQL
    return storable(str(values[0].value)) if values else None


def _sans(certificate: x509.Certificate) -> tuple[str, ...]:
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return ()
    names = extension.value
    dns = [storable(name) for name in names.get_values_for_type(x509.DNSName)]
    addresses = [str(a) for a in names.get_values_for_type(x509.IPAddress)]
    return (*dns, *addresses)


def _signed_by_itself(certificate: x509.Certificate) -> bool:
    if certificate.issuer != certificate.subject:
        return False
    try:
        certificate.verify_directly_issued_by(certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def certificate_facts(der: bytes) -> CertificateFacts:
    certificate = x509.load_der_x509_certificate(der)
    return CertificateFacts(
        subject=storable(certificate.subject.rfc4514_string()),
        subject_cn=_first(certificate.subject, NameOID.COMMON_NAME),
        issuer=storable(certificate.issuer.rfc4514_string()),
        issuer_cn=_first(certificate.issuer, NameOID.COMMON_NAME),
        issuer_organization=_first(certificate.issuer, NameOID.ORGANIZATION_NAME),
        sans=_sans(certificate),
        serial=format(certificate.serial_number, "x"),
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        self_signed=_signed_by_itself(certificate),
    )


def earliest_expiry(chain: Iterable[CertificateFacts]) -> datetime | None:
    """When the first certificate the server presents runs out (leaf or intermediate)."""
    return min((facts.not_after for facts in chain), default=None)


def _dns_match(pattern: str, host: str) -> bool:
    pattern, host = pattern.lower().rstrip("."), host.lower().rstrip(".")
    if pattern.startswith("*."):
        # a wildcard covers exactly one left-most label
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return pattern == host


def hostname_matches(facts: CertificateFacts, host: str) -> bool:
    """RFC 6125 matching against the SANs (the CN is ignored, as browsers do)."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return any(_dns_match(name, host) for name in facts.sans if not _is_ip(name))
    return any(_is_ip(name) and ipaddress.ip_address(name) == address for name in facts.sans)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def days_remaining(expiry: datetime, now: datetime) -> int:
    """Whole days left (negative once expired); 23 hours left is 0 days."""
    return math.floor((expiry - now).total_seconds() / 86_400)


def needs_renewal(expiry: datetime, now: datetime, warning_days: Sequence[int]) -> bool:
    """Inside the widest warning window, or already expired."""
    return days_remaining(expiry, now) <= max(warning_days, default=0)
