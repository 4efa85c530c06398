"""Which sessions the per-target cache keeps, offers and forgets."""

from __future__ import annotations

from dataclasses import dataclass

from pulsecheck.checks.tls_sessions import NO_TICKET_RECHECK_SECONDS, TlsSessionCache

A = ("a.test", "192.0.2.1", 443)
B = ("b.test", "192.0.2.2", 443)
C = ("c.test", "192.0.2.3", 443)


@dataclass
class FakeSession:
    has_ticket: bool = True
    id: bytes = b""


def test_a_resumable_session_is_offered_to_its_target_only() -> None:
    cache = TlsSessionCache()
    session = FakeSession()
    cache.keep(A, session, now=0.0)  # type: ignore[arg-type]
    assert cache.get(A) is session
    assert cache.get(B) is None


def test_a_session_without_ticket_or_id_is_not_kept_and_not_read_again_soon() -> None:
    cache = TlsSessionCache()
    cache.keep(A, FakeSession(has_ticket=False), now=0.0)  # type: ignore[arg-type]
    assert cache.get(A) is None
    assert not cache.worth_reading(A, now=1.0)
    assert cache.worth_reading(A, now=NO_TICKET_RECHECK_SECONDS)
    assert cache.worth_reading(B, now=1.0)


def test_a_tls12_session_id_is_resumable() -> None:
    cache = TlsSessionCache()
    cache.keep(A, FakeSession(has_ticket=False, id=b"\x01" * 32), now=0.0)  # type: ignore[arg-type]
    assert cache.get(A) is not None


def test_forget_drops_the_session() -> None:
    cache = TlsSessionCache()
    cache.keep(A, FakeSession(), now=0.0)  # type: ignore[arg-type]
    cache.forget(A)
    assert cache.get(A) is None


def test_least_recently_used_goes_first_at_capacity() -> None:
    cache = TlsSessionCache(capacity=2)
    cache.keep(A, FakeSession(), now=0.0)  # type: ignore[arg-type]
    cache.keep(B, FakeSession(), now=0.0)  # type: ignore[arg-type]
    cache.get(A)
    cache.keep(C, FakeSession(), now=0.0)  # type: ignore[arg-type]
    assert cache.get(B) is None and cache.get(A) is not None and len(cache) == 2
