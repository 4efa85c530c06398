"""Badge SVGs: colour by threshold, text escaped, width grows with the text."""

from __future__ import annotations

from pulsecheck.webapp.public.badge_svg import (
    COLOURS,
    badge_svg,
    certificate_badge,
    status_badge,
    uptime_badge,
)


def test_colours_follow_the_thresholds() -> None:
    assert COLOURS["green"] in status_badge("up", paused=False)
    assert COLOURS["red"] in status_badge("down", paused=False)
    assert ">paused<" in status_badge("down", paused=True)
    assert COLOURS["green"] in uptime_badge("30d", 99.5)
    assert COLOURS["amber"] in uptime_badge("30d", 97.0)
    assert COLOURS["red"] in uptime_badge("30d", 80.0)
    assert ">12 days<" in certificate_badge(12) and COLOURS["amber"] in certificate_badge(12)
    assert ">expired<" in certificate_badge(-1)
    assert ">no data<" in uptime_badge("7d", None) and ">no data<" in certificate_badge(None)


def test_text_is_escaped_and_sizes_the_badge() -> None:
    svg = badge_svg("a<b", "x&y", "grey")
    assert "a&lt;b" in svg and "x&amp;y" in svg and "<b" not in svg.replace("<title", "")
    short, long = badge_svg("s", "up", "green"), badge_svg("s", "a much longer text", "green")

    def width(svg: str) -> int:
        return int(svg.split('width="')[1].split('"')[0])

    assert width(long) > width(short)
