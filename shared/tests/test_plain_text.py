"""The refused characters are exactly Unicode's Cc and Cs categories, on every code point."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable

import pytest

from pulsecheck.shared.events.plain_text import multiline_text, plain_text
from pulsecheck.shared.monitor_urls import UnacceptableUrl, split_monitor_url

LINE_BREAKS = "\t\n\r"


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs")


def _accepts(check: Callable[[str], str], value: str) -> bool:
    try:
        return check(value) == value
    except ValueError:
        return False


def test_every_code_point_is_judged_by_its_unicode_category() -> None:
    wrong = [
        hex(point)
        for point in range(sys.maxunicode + 1)
        if _accepts(plain_text, chr(point)) == _is_control(chr(point))
        or _accepts(multiline_text, chr(point))
        == (_is_control(chr(point)) and chr(point) not in LINE_BREAKS)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("value", "plain", "multiline"),
    [
        ("nightly backup", True, True),
        ("", True, True),
        ("a\x00b", False, False),
        ("line\nbreak", False, True),
        ("tab\tand\r\n", False, True),
        ("bell\x07", False, False),
        ("del\x7f", False, False),
        ("c1\x85", False, False),
        ("lone \ud83d surrogate", False, False),
        ("émoji 🙂 and ünïcode", True, True),
    ],
)
def test_a_control_character_anywhere_is_refused(value: str, plain: bool, multiline: bool) -> None:
    assert _accepts(plain_text, value) is plain
    assert _accepts(multiline_text, value) is multiline


def test_a_url_refuses_exactly_whitespace_and_ascii_controls() -> None:
    def refused(ch: str) -> bool:
        try:
            split_monitor_url(f"https://example.com/a{ch}b")
        except UnacceptableUrl as exc:
            return "whitespace or control" in str(exc)
        return False

    # other code points may be refused for other reasons (a lone surrogate, say) or not at all
    wrong = [
        hex(point)
        for point in range(sys.maxunicode + 1)
        if refused(ch := chr(point)) != (ch.isspace() or point < 0x20 or point == 0x7F)
    ]
    assert wrong == []
