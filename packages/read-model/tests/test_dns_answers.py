"""When a dns monitor's answers last changed, folded from a batch onto what was stored: pure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pulsecheck.read_model.storage.dns_answers import DnsAnswers, StoredAnswers, next_answers

MONITOR = uuid.uuid4()
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _at(minute: int, *answers: str, rcode: str = "NOERROR") -> DnsAnswers:
    return DnsAnswers(
        MONITOR, "eu", MONITOR, "A", "127.0.0.1", rcode, list(answers), 60,
        T0 + timedelta(minutes=minute),
    )  # fmt: skip


def _stored(minute: int, changed: int, *answers: str) -> StoredAnswers:
    at = T0 + timedelta(minutes=minute)
    return StoredAnswers(("A", "NOERROR", list(answers)), at, T0 + timedelta(minutes=changed))


def _minute(when: datetime) -> int:
    return int((when - T0).total_seconds() // 60)


def test_the_first_answers_changed_when_first_seen() -> None:
    latest = next_answers(None, [_at(2, "a"), _at(1, "a")])
    assert latest is not None and (_minute(latest[0].checked_at), _minute(latest[1])) == (2, 1)


def test_the_same_answers_keep_the_stored_change_time() -> None:
    latest = next_answers(_stored(5, 1, "a"), [_at(6, "a"), _at(7, "a")])
    assert latest is not None and _minute(latest[1]) == 1


def test_a_change_inside_the_batch_dates_from_its_first_check() -> None:
    latest = next_answers(_stored(5, 1, "a"), [_at(8, "b"), _at(6, "a"), _at(7, "b")])
    assert latest is not None and _minute(latest[1]) == 7


def test_an_rcode_is_a_change_and_a_flap_back_is_another() -> None:
    latest = next_answers(_stored(5, 1, "a"), [_at(6, rcode="NXDOMAIN"), _at(7, "a")])
    assert latest is not None and _minute(latest[1]) == 7


def test_results_no_newer_than_the_stored_change_nothing() -> None:
    assert next_answers(_stored(5, 1, "a"), [_at(4, "z"), _at(5, "z")]) is None
    latest = next_answers(_stored(5, 1, "a"), [_at(3, "z"), _at(6, "a")])
    assert latest is not None and _minute(latest[1]) == 1
