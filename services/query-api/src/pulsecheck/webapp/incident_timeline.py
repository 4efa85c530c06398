"""An incident's timeline: when it opened, each delivery attempt it caused, when it ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# a recovery notice goes out just after the incident resolves
AFTERMATH = timedelta(minutes=5)


@dataclass(frozen=True)
class Moment:
    at: datetime
    what: str
    outcome: str  # "opened", "sent", "failed", "resolved": the CSS class of its marker


def timeline(
    incident: dict[str, Any], deliveries: Sequence[dict[str, Any]], now: datetime
) -> list[Moment]:
    opened: datetime = incident["opened_at"]
    resolved: datetime | None = incident["resolved_at"]
    ends = (resolved or now) + AFTERMATH
    cause = f": {incident['cause']}" if incident.get("cause") else ""
    regions = incident.get("failing_regions") or []
    where = f" (regions {', '.join(regions)})" if regions else ""
    moments = [Moment(opened, f"Opened{cause}{where}", "opened")]
    for d in deliveries:
        if opened <= d["at"] <= ends:
            error = f" — {d['error']}" if d.get("error") else ""
            what = f"{d['trigger_type']} via {d['channel_kind']}, attempt {d['attempt']}"
            moments.append(Moment(d["at"], f"{what}: {d['outcome']}{error}", d["outcome"]))
    if resolved is not None:
        moments.append(Moment(resolved, "Resolved", "resolved"))
    return sorted(moments, key=lambda m: m.at)
