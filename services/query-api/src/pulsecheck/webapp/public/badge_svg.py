"""Shields-style SVG badges ("label | message"): pure text, widths from a per-character guess.

No font metrics are available server-side; 7 px per character of 11 px Verdana is within a
few pixels for the short texts badges carry.
"""

from __future__ import annotations

from html import escape

CHAR_PX = 7
PADDING_PX = 10
COLOURS = {"green": "#2e7d32", "red": "#c62828", "amber": "#8a5a00", "grey": "#555"}


def _width(text: str) -> int:
    return len(text) * CHAR_PX + 2 * PADDING_PX


def badge_svg(label: str, message: str, colour: str) -> str:
    left, right = _width(label), _width(message)
    total, fill = left + right, COLOURS[colour]
    label_text, message_text = escape(label), escape(message)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img"'
        f' aria-label="{label_text}: {message_text}"><title>{label_text}: {message_text}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{fill}"/>'
        f'<g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif"'
        f' font-size="11"><text x="{left / 2}" y="14">{label_text}</text>'
        f'<text x="{left + right / 2}" y="14">{message_text}</text></g></svg>'
    )


def status_badge(status: str, paused: bool) -> str:
    if paused:
        return badge_svg("status", "paused", "grey")
    colour = {"up": "green", "down": "red", "degraded": "amber"}.get(status, "grey")
    return badge_svg("status", status, colour)


def uptime_badge(window: str, percent: float | None) -> str:
    if percent is None:
        return badge_svg(f"uptime {window}", "no data", "grey")
    colour = "green" if percent >= 99 else "amber" if percent >= 95 else "red"
    return badge_svg(f"uptime {window}", f"{percent:.2f}%", colour)


def certificate_badge(days_left: int | None) -> str:
    if days_left is None:
        return badge_svg("certificate", "no data", "grey")
    if days_left < 0:
        return badge_svg("certificate", "expired", "red")
    colour = "green" if days_left >= 30 else "amber" if days_left >= 7 else "red"
    return badge_svg("certificate", f"{days_left} days", colour)
