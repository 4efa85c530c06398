"""Schema evolution: a consumer of either version of check.completed reads both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulsecheck.shared.events import CheckCompleted, DecodeError, Envelope, decode
from pulsecheck.shared.events.checks_v2 import CheckCompletedV2
from pulsecheck.shared.events.registry import EVENT_MODELS, UPCASTERS
from pulsecheck.shared.events.upcasting import check_completed_v1_to_v2

GOLDEN = Path(__file__).parent / "golden"
V1 = GOLDEN / "io.pulsecheck.check.completed.v1.json"
V1_TLS = GOLDEN / "io.pulsecheck.check.completed.v1.tls.json"
V2 = GOLDEN / "io.pulsecheck.check.completed.v2.json"


def _decoded(raw: bytes, *, upcast: bool) -> Envelope:
    envelope = decode(raw, upcast=upcast)
    assert isinstance(envelope, Envelope), envelope
    return envelope


def test_every_step_leads_to_a_registered_type() -> None:
    for old, (new, _) in UPCASTERS.items():
        assert old in EVENT_MODELS and new in EVENT_MODELS
        assert int(new.rsplit(".v", 1)[1]) == int(old.rsplit(".v", 1)[1]) + 1


@pytest.mark.parametrize("path", [V1, V1_TLS, V2], ids=lambda p: p.name)
def test_a_v2_consumer_reads_either_version_as_v2(path: Path) -> None:
    envelope = _decoded(path.read_bytes(), upcast=True)
    assert envelope.type == "io.pulsecheck.check.completed.v2"
    assert isinstance(envelope.data, CheckCompletedV2)


def test_an_upcast_v1_record_is_the_v2_golden_example() -> None:
    upcast = _decoded(V1.read_bytes(), upcast=True)
    assert upcast.data == _decoded(V2.read_bytes(), upcast=False).data
    assert upcast.data.timing.duration_ms == 175.0  # type: ignore[union-attr]


def test_a_v1_consumer_still_gets_v1_and_v2_as_its_own_type() -> None:
    assert isinstance(_decoded(V1.read_bytes(), upcast=False).data, CheckCompleted)
    # what a consumer written for v1 does with a v2 record: it is not a CheckCompleted
    assert not isinstance(_decoded(V2.read_bytes(), upcast=False).data, CheckCompleted)


def test_the_step_moves_the_instants_under_timing_and_keeps_the_rest() -> None:
    v1: dict[str, Any] = json.loads(V1.read_text())["data"]
    v2 = check_completed_v1_to_v2(v1)
    assert v2["timing"] == {
        "scheduled_for": v1["scheduled_for"],
        "started_at": v1["started_at"],
        "finished_at": v1["finished_at"],
        "duration_ms": 175.0,
    }
    assert {k: v for k, v in v2.items() if k != "timing"} == {
        k: v for k, v in v1.items() if k not in {"scheduled_for", "started_at", "finished_at"}
    }
    assert "timing" not in v1  # the step builds a new dict


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"started_at": "yesterday"}, id="unreadable instant"),
        pytest.param({"finished_at": None}, id="missing instant"),
    ],
)
def test_a_v1_record_that_cannot_be_upcast_is_a_typed_error(change: dict[str, Any]) -> None:
    document = json.loads(V1.read_text())
    document["data"] = {**document["data"], **change}
    result = decode(json.dumps(document).encode(), upcast=True)
    assert isinstance(result, DecodeError)
    assert result.kind == "invalid_data"
    assert result.event_type == "io.pulsecheck.check.completed.v1"
