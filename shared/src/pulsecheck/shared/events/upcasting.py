"""Upcasters: one pure function per version step, from one version's `data` to the next's.

They work on the JSON `data` of the envelope, before any model sees it, so an old record is
validated once, by the newest model. The registry (`registry.UPCASTERS`) says which step
follows which type; `decode(raw, upcast=True)` applies them in turn. Producers keep emitting
v1 (see `checks_v2`): upcasting is what a consumer opts into, never what the wire carries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def check_completed_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """`io.pulsecheck.check.completed.v1` -> `.v2`: the three instants move under `timing`."""
    upcast = {k: v for k, v in data.items() if k not in _V1_INSTANTS}
    instants = {k: data.get(k) for k in _V1_INSTANTS}
    started, finished = instants["started_at"], instants["finished_at"]
    upcast["timing"] = {**instants, "duration_ms": _duration_ms(started, finished)}
    return upcast


_V1_INSTANTS = ("scheduled_for", "started_at", "finished_at")


def _duration_ms(started: object, finished: object) -> float | None:
    # an unreadable instant is left for the v2 model to reject with a typed error
    if not isinstance(started, str) or not isinstance(finished, str):
        return None
    try:
        elapsed = datetime.fromisoformat(finished) - datetime.fromisoformat(started)
    except ValueError:
        return None
    return max(0.0, elapsed.total_seconds() * 1000)
