"""One check of a monitor's configuration for the API and every consumer of the monitors topic.

The models hold every rule that is the same everywhere; the shortest interval is a deployment
setting, so it arrives as an argument instead of living in the contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from pulsecheck.shared.events.monitors import MonitorConfiguration

SpecT = TypeVar("SpecT", bound=MonitorConfiguration)


@dataclass(frozen=True, slots=True)
class SpecProblem:
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidSpec(ValueError):
    def __init__(self, problems: tuple[SpecProblem, ...]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def problems_of(error: ValidationError) -> tuple[SpecProblem, ...]:
    """Each error of a validation, named by the dotted path of its field."""
    return tuple(
        SpecProblem(".".join(str(part) for part in detail["loc"]) or "(spec)", detail["msg"])
        for detail in error.errors(include_url=False)
    )


def validated_spec(
    model: type[SpecT], fields: Mapping[str, Any], *, min_interval_seconds: int | None
) -> SpecT:
    """`fields` as a `model`, or InvalidSpec naming every field that breaks a rule.

    `min_interval_seconds` is None for a consumer that raises short intervals to its own
    minimum (the scheduler) instead of refusing them.
    """
    try:
        spec = model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidSpec(problems_of(exc)) from exc
    if min_interval_seconds is not None and spec.interval_seconds < min_interval_seconds:
        reason = f"interval_seconds must be at least {min_interval_seconds}"
        raise InvalidSpec((SpecProblem("interval_seconds", reason),))
    return spec


def spec_problems(
    spec: MonitorConfiguration, *, min_interval_seconds: int | None
) -> tuple[SpecProblem, ...]:
    """What `spec` breaks (empty when nothing): a consumer's re-check of a decoded spec."""
    try:
        validated_spec(type(spec), spec.model_dump(), min_interval_seconds=min_interval_seconds)
    except InvalidSpec as exc:
        return exc.problems
    return ()
