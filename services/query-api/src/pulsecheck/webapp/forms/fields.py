"""Reading the text of HTML form fields: lists, lines, numbers, checkboxes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Form = Mapping[str, Any]


class FormProblem(ValueError):
    """A field whose text cannot mean anything; its message names the field."""


def text(form: Form, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def checked(form: Form, name: str) -> bool:
    return text(form, name) in ("on", "true", "1")


def lines(form: Form, name: str) -> list[str]:
    return [line.strip() for line in text(form, name).splitlines() if line.strip()]


def comma_list(form: Form, name: str) -> list[str]:
    return [part.strip() for part in text(form, name).split(",") if part.strip()]


def optional_int(form: Form, name: str, label: str) -> int | None:
    raw = text(form, name)
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise FormProblem(f"{label} must be a whole number") from exc


def required_number(form: Form, name: str, label: str) -> float:
    raw = text(form, name)
    try:
        return float(raw)
    except ValueError as exc:
        raise FormProblem(f"{label} must be a number") from exc
