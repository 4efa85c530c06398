"""Classified failures: every way a probe can go wrong maps to one ErrorKind."""

from __future__ import annotations

import ssl

from pulsecheck.shared.events import CheckError, ErrorKind
from pulsecheck.shared.target_safety import TargetRefused, TargetUnresolvable


class ProbeFailure(Exception):
    """A failure a check already classified; carries partial measurements via the caller."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def as_error(self) -> CheckError:
        return CheckError(kind=self.kind, message=self.message)


def classify_exception(exc: BaseException) -> CheckError:
    """The ErrorKind of an exception raised while connecting or talking to a target."""
    kind, message = _classify(exc)
    return CheckError(kind=kind, message=message[:500])


def _classify(exc: BaseException) -> tuple[ErrorKind, str]:
    if isinstance(exc, ProbeFailure):
        return exc.kind, exc.message
    if isinstance(exc, TargetRefused):
        return ErrorKind.BLOCKED_TARGET, str(exc)
    if isinstance(exc, TargetUnresolvable):
        return ErrorKind.DNS, str(exc) or "name does not resolve"
    if isinstance(exc, TimeoutError):
        return ErrorKind.TIMEOUT, "no answer within the timeout"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return ErrorKind.TLS, f"certificate verification failed: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return ErrorKind.TLS, f"TLS failed: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return ErrorKind.REFUSED, "connection refused"
    if isinstance(exc, ConnectionError | EOFError):
        return ErrorKind.CONNECTION, f"connection lost: {exc!r}"
    if isinstance(exc, OSError):
        return ErrorKind.CONNECTION, f"network error: {exc.strerror or exc!r}"
    return ErrorKind.INTERNAL, f"unexpected {type(exc).__name__}: {exc}"
