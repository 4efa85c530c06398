"""The README's subscriber example reads the golden events with nothing but the schemas."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "subscribe_checks", ROOT / "examples" / "subscribe_checks.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reads_check_results_and_skips_other_events() -> None:
    example = _example()
    validators = example.load_validators(ROOT / "shared" / "schemas")
    outcomes = {
        path.name: example.read_check(path.read_bytes(), validators)
        for path in sorted(GOLDEN.glob("*.json"))
    }
    checks = {name: data for name, data in outcomes.items() if data is not None}
    assert set(checks) == {
        "io.pulsecheck.check.completed.v1.json",
        "io.pulsecheck.check.completed.v1.tls.json",
        "io.pulsecheck.check.completed.v1.starttls.json",
        "io.pulsecheck.check.completed.v1.dns.json",
        "io.pulsecheck.check.completed.v1.heartbeat.json",
    }
    assert checks["io.pulsecheck.check.completed.v1.json"]["outcome"] == "down"
    # a subscriber written for v1 skips v2 as an unknown type, as documented
    assert outcomes["io.pulsecheck.check.completed.v2.json"] is None


def test_a_broken_event_is_refused_by_the_schema() -> None:
    example = _example()
    validators = example.load_validators(ROOT / "shared" / "schemas")
    broken = (
        (GOLDEN / "io.pulsecheck.check.completed.v1.json")
        .read_text()
        .replace('"outcome": "down"', '"outcome": "sideways"')
    )
    with pytest.raises(jsonschema.ValidationError):
        example.read_check(broken.encode(), validators)
