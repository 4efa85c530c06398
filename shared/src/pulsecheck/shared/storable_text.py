"""Text PostgreSQL can store: no NUL character, no lone surrogate.

A target controls much of what a check reports (certificate names, error messages, redirect
URLs). PostgreSQL refuses NUL in text and jsonb and any string that is not valid UTF-8, and a
refused row would stop the read model for every account, so such text is cleaned, not refused.
"""

from __future__ import annotations


def storable(text: str) -> str:
    """`text` without NUL characters, lone surrogates replaced by '?'."""
    if not text.isascii():
        # nearly every value is ASCII: only the rest pays for the round trip
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "") if "\x00" in text else text


def storable_or_none(text: str | None) -> str | None:
    return None if text is None else storable(text)
