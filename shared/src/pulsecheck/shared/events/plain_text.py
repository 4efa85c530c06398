"""Text a tenant controls: no NUL, control characters or lone surrogates, in any field.

PostgreSQL refuses NUL in text and jsonb, and UTF-8 cannot encode a lone surrogate, so such a
value published once would stop every consumer that stores or re-encodes it.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

# a body assertion may span lines, so these three may appear there (and only there)
_LINE_BREAKS = frozenset("\t\n\r")


def _refused(ch: str, allowed: frozenset[str]) -> bool:
    return ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs")


def plain_text(value: str) -> str:
    """`value` itself, or ValueError when it holds a control character."""
    if any(_refused(ch, frozenset()) for ch in value):
        raise ValueError("must not contain NUL or other control characters")
    return value


def multiline_text(value: str) -> str:
    """`value` itself, or ValueError when it holds a control character other than a line break."""
    if any(_refused(ch, _LINE_BREAKS) for ch in value):
        raise ValueError("must not contain NUL or control characters other than line breaks")
    return value


# short identifiers and labels: ids, region names, channel ids
Label = Annotated[str, Field(min_length=1, max_length=128), AfterValidator(plain_text)]
