"""Certificates made at test time and a loopback-only probe context for the check tests; the
target servers (`fleet`, `closed_port`) come from pulsecheck.testing.target_servers."""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from pulsecheck.checks.context import ProbeContext
from pulsecheck.shared.target_safety import AllowList
from pulsecheck.testing.target_servers import closed_port, fleet

__all__ = ["closed_port", "fleet"]  # fixtures, imported for pytest to find here

# every test name resolves to loopback, through the context's resolver (never real DNS)
TEST_HOSTS = ("good.test", "other.test", "localhost")
LOOPBACK_ONLY = AllowList.from_entries(["127.0.0.0/8"])


class TableResolver:
    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        return self.answers.get(host, [])


def loopback_resolver() -> TableResolver:
    return TableResolver({host: ["127.0.0.1"] for host in TEST_HOSTS})


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA(organization_name="PulseCheck Test CA")


@pytest.fixture
def probe_context(ca: trustme.CA) -> ProbeContext:
    """Trusts the test CA, allows loopback, resolves the test names to 127.0.0.1."""
    return ProbeContext.build(
        region="test-region",
        allow=LOOPBACK_ONLY,
        resolver=loopback_resolver(),
        extra_ca_pem=ca.cert_pem.bytes().decode(),
    )


# ---- certificates the trustme API cannot make: self-signed leaves, short-lived intermediates


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def cert_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def issue(
    common_name: str,
    *,
    issuer: Issued | None = None,
    is_ca: bool = False,
    sans: Sequence[str] = (),
    valid_days: float = 90,
) -> Issued:
    """A certificate signed by `issuer` (self-signed when None)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.certificate.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if sans:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False
        )
    signer = issuer.key if issuer else key
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def server_tls(
    cert_chain_pem: bytes, key_pem: bytes, maximum_version: ssl.TLSVersion | None = None
) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    with trustme.Blob(cert_chain_pem + key_pem).tempfile() as path:
        context.load_cert_chain(path)
    if maximum_version is not None:
        context.maximum_version = maximum_version
    return context


@dataclass(frozen=True)
class CertificateFactory:
    """Server-side TLS contexts with the certificate a scenario needs."""

    ca: trustme.CA

    def signed_by_test_ca(
        self,
        *identities: str,
        not_before: datetime | None = None,
        not_after: datetime | None = None,
        maximum_version: ssl.TLSVersion | None = None,
    ) -> ssl.SSLContext:
        leaf = self.ca.issue_cert(
            *identities,
            organization_name="Good Test Site",
            not_before=not_before,
            not_after=not_after,
        )
        chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
        return server_tls(chain, leaf.private_key_pem.bytes(), maximum_version)

    def self_signed(self, host: str) -> ssl.SSLContext:
        leaf = issue(host, sans=[host])
        return server_tls(leaf.cert_pem(), leaf.key_pem())

    def with_intermediate(
        self, host: str, intermediate_days: float, leaf_days: float
    ) -> tuple[ssl.SSLContext, str]:
        """A server context presenting leaf + intermediate, and the root's PEM to trust."""
        root = issue("Chain Test Root", is_ca=True, valid_days=3650)
        intermediate = issue(
            "Chain Test Intermediate", issuer=root, is_ca=True, valid_days=intermediate_days
        )
        leaf = issue(host, issuer=intermediate, sans=[host], valid_days=leaf_days)
        context = server_tls(leaf.cert_pem() + intermediate.cert_pem(), leaf.key_pem())
        return context, root.cert_pem().decode()


@pytest.fixture
def certs(ca: trustme.CA) -> CertificateFactory:
    return CertificateFactory(ca)
