"""Certificate analysis as pure functions over DER made at test time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from pulsecheck.checks.certificates import (
    certificate_facts,
    days_remaining,
    earliest_expiry,
    hostname_matches,
    needs_renewal,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def der_of(leaf: trustme.LeafCert) -> bytes:
    pem = leaf.cert_chain_pems[0].bytes()
    return x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)


def test_facts_of_a_leaf(ca: trustme.CA) -> None:
    leaf = ca.issue_cert("good.test", "*.wild.test", "127.0.0.1", common_name="good.test")
    facts = certificate_facts(der_of(leaf))
    assert facts.subject_cn == "good.test"
    assert facts.issuer_organization == "PulseCheck Test CA"
    assert facts.sans == ("good.test", "*.wild.test", "127.0.0.1")
    assert len(facts.fingerprint_sha256) == 64
    assert not facts.self_signed
    assert facts.not_before < facts.not_after


def test_a_ca_certificate_is_self_signed(ca: trustme.CA) -> None:
    der = x509.load_pem_x509_certificate(ca.cert_pem.bytes()).public_bytes(Encoding.DER)
    assert certificate_facts(der).self_signed


@pytest.mark.parametrize(
    ("host", "matches"),
    [
        ("good.test", True),
        ("GOOD.test.", True),
        ("a.wild.test", True),
        ("wild.test", False),
        ("a.b.wild.test", False),
        ("127.0.0.1", True),
        ("127.0.0.2", False),
        ("other.test", False),
    ],
)
def test_hostname_matching(ca: trustme.CA, host: str, matches: bool) -> None:
    facts = certificate_facts(der_of(ca.issue_cert("good.test", "*.wild.test", "127.0.0.1")))
    assert hostname_matches(facts, host) is matches


@pytest.mark.parametrize(
    ("left", "days"),
    [
        (timedelta(days=5, hours=1), 5),
        (timedelta(hours=23), 0),
        (timedelta(days=288), 288),
        (timedelta(hours=-1), -1),
        (timedelta(days=-3), -3),
    ],
)
def test_days_remaining(left: timedelta, days: int) -> None:
    assert days_remaining(NOW + left, NOW) == days


@pytest.mark.parametrize(
    ("left", "warning_days", "expected"),
    [
        (timedelta(days=31), [30, 14, 7], False),
        (timedelta(days=30, hours=2), [30, 14, 7], True),
        (timedelta(days=5), [3, 1], False),
        (timedelta(days=2), [3, 1], True),
        (timedelta(days=-1), [], True),
        (timedelta(days=100), [], False),
    ],
)
def test_needs_renewal_inside_the_widest_window(
    left: timedelta, warning_days: list[int], expected: bool
) -> None:
    assert needs_renewal(NOW + left, NOW, warning_days) is expected


def test_earliest_expiry_of_a_chain(ca: trustme.CA) -> None:
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    later = soon + timedelta(days=50)
    chain: list[Any] = [
        certificate_facts(der_of(ca.issue_cert("a.test", not_after=later))),
        certificate_facts(der_of(ca.issue_cert("b.test", not_after=soon))),
    ]
    assert earliest_expiry(chain) == soon
    assert earliest_expiry([]) is None


def nul_bearing_certificate() -> bytes:
    """A self-signed certificate whose CN and SAN carry a NUL, as any tenant's site may serve."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "evil\x00.test")])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("a\x00b.test")]), False)
        .sign(key, hashes.SHA256())
        .public_bytes(Encoding.DER)
    )


def test_facts_carry_no_nul_character() -> None:
    facts = certificate_facts(nul_bearing_certificate())
    assert facts.subject_cn == "evil.test"
    assert facts.issuer_cn == "evil.test"
    assert facts.sans == ("ab.test",)
    assert "\x00" not in facts.subject + facts.issuer
