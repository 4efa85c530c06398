"""The control-character rules, as ranges, against their definitions over every code point."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from pulsecheck.shared.events.plain_text import multiline_text, plain_text
from pulsecheck.shared.monitor_urls import UnacceptableUrl, split_monitor_url

EVERY_CHARACTER = [chr(code) for code in range(sys.maxunicode + 1)]


def _control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def _accepted(rule: object, value: str) -> bool:
    try:
        rule(value)  # type: ignore[operator]
    except ValueError:
        return False
    return True


def test_plain_text_refuses_exactly_the_control_and_surrogate_categories() -> None:
    wrong = [ch for ch in EVERY_CHARACTER if _accepted(plain_text, f"a{ch}b") == _control(ch)]
    assert wrong == []


def test_multiline_text_also_allows_tab_and_line_breaks() -> None:
    wrong = [
        ch
        for ch in EVERY_CHARACTER
        if _accepted(multiline_text, f"a{ch}b") == (_control(ch) and ch not in "\t\n\r")
    ]
    assert wrong == []


def test_a_url_refuses_exactly_whitespace_and_ascii_controls() -> None:
    def refused(ch: str) -> bool:
        try:
            split_monitor_url(f"https://example.com/a{ch}b")
        except UnacceptableUrl as exc:
            return "whitespace or control" in str(exc)
        return False

    # the other code points may be refused for other reasons (a lone surrogate, say) or not at all
    wrong = [
        ch
        for ch in EVERY_CHARACTER
        if refused(ch) != (ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F)
    ]
    assert wrong == []


@pytest.mark.parametrize("value", ["shop", "ünïcödé ✓", "a b"])
def test_ordinary_text_passes_unchanged(value: str) -> None:
    assert plain_text(value) is value and multiline_text(value) is value
