"""Every setting a service reads is documented in the README's configuration table."""

from __future__ import annotations

import re
from pathlib import Path

from pulsecheck.channels.senders import settings_classes
from pulsecheck.notifier.settings import NotifierSettings
from pulsecheck.prober.settings import ProberSettings
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.scheduler.settings import SchedulerSettings

README = Path(__file__).resolve().parents[2] / "README.md"


def _documented() -> set[str]:
    names: set[str] = set()
    for row in README.read_text().splitlines():
        if row.startswith("| `PULSECHECK_"):
            names.update(re.findall(r"`(PULSECHECK_[A-Z_]+)`", row.split("|")[1]))
    return names


def test_every_setting_is_in_the_readme() -> None:
    declared = {
        f"PULSECHECK_{name.upper()}"
        for cls in (
            SchedulerSettings,
            ProberSettings,
            NotifierSettings,
            QueryApiSettings,
            ProjectorSettings,
            *settings_classes(),
        )
        for name in cls.model_fields
    }
    assert declared - _documented() == set()
