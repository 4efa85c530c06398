"""Text a tenant controls: no NUL, control characters or lone surrogates, in any field.

PostgreSQL refuses NUL in text and jsonb, and UTF-8 cannot encode a lone surrogate, so such a
value published once would stop every consumer that stores or re-encodes it.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

# Unicode categories Cc (control) and Cs (surrogate), spelt as ranges: every event field of
# every record passes here, and one regex search is ~20x cheaper than a Python loop over the
# characters (test_plain_text.py proves the ranges equal the categories)
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# a body assertion may span lines, so tab, LF and CR may appear there (and only there)
CONTROL_BUT_LINE_BREAKS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def plain_text(value: str) -> str:
    """`value` itself, or ValueError when it holds a control character."""
    if CONTROL.search(value):
        raise ValueError("must not contain NUL or other control characters")
    return value


def multiline_text(value: str) -> str:
    """`value` itself, or ValueError when it holds a control character other than a line break."""
    if CONTROL_BUT_LINE_BREAKS.search(value):
        raise ValueError("must not contain NUL or control characters other than line breaks")
    return value


# short identifiers and labels: ids, region names, channel ids
Label = Annotated[str, Field(min_length=1, max_length=128), AfterValidator(plain_text)]
