"""Naming why a TLS handshake failed, from OpenSSL's verify code (pure)."""

from __future__ import annotations

import ssl
from typing import Final

from pulsecheck.shared.events import CheckError, ErrorKind

# OpenSSL X509_V_ERR_* codes
_VERIFY_CODES: Final[dict[int, ErrorKind]] = {
    2: ErrorKind.UNTRUSTED_ROOT,  # unable to get issuer certificate
    9: ErrorKind.NOT_YET_VALID,
    10: ErrorKind.EXPIRED,
    18: ErrorKind.SELF_SIGNED,  # depth zero self-signed
    19: ErrorKind.UNTRUSTED_ROOT,  # self-signed certificate in chain
    20: ErrorKind.UNTRUSTED_ROOT,  # unable to get local issuer certificate
    21: ErrorKind.UNTRUSTED_ROOT,  # unable to verify the first certificate
    62: ErrorKind.HOSTNAME_MISMATCH,
    64: ErrorKind.HOSTNAME_MISMATCH,  # IP address mismatch
}


def verification_error(exc: ssl.SSLCertVerificationError) -> CheckError:
    kind = _VERIFY_CODES.get(exc.verify_code, ErrorKind.HANDSHAKE_FAILURE)
    return CheckError(kind=kind, message=f"certificate verification failed: {exc.verify_message}")


def handshake_error(exc: ssl.SSLError) -> CheckError:
    return CheckError(
        kind=ErrorKind.HANDSHAKE_FAILURE, message=f"TLS handshake failed: {exc.reason or exc}"
    )
