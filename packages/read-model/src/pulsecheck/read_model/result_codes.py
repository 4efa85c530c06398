"""Small-integer codes for the words every uptime result repeats (outcome, kind, error kind).

A result row stores 2-byte codes instead of text: at 144 M rows a day, every byte of a row is
144 MB a day. Codes are 1-based positions in these tuples, as PostgreSQL's `array_position`
gives them and `(array)[code]` reads them back, so the projector encodes and the read routes
decode with the same tuple passed as a parameter. Append only: a code, once written, keeps its
meaning.
"""

from __future__ import annotations

from typing import get_args

from pulsecheck.shared.events.common import CheckKind, ErrorKind, Outcome

OUTCOMES: tuple[str, ...] = tuple(get_args(Outcome))
CHECK_KINDS: tuple[str, ...] = tuple(get_args(CheckKind))
ERROR_KINDS: tuple[str, ...] = tuple(kind.value for kind in ErrorKind)

# what the SQL that encodes or decodes a row binds; one dictionary, one spelling of each name
CODE_PARAMETERS: dict[str, list[str]] = {
    "outcomes": list(OUTCOMES),
    "check_kinds": list(CHECK_KINDS),
    "error_kinds": list(ERROR_KINDS),
}

# the decoded columns, for SELECTs over `uptime_result_rows r`
OUTCOME_TEXT = "(%(outcomes)s::text[])[r.outcome]"
IS_UP = "(r.outcome <> array_position(%(outcomes)s::text[], 'down'))"
KIND_TEXT = "(%(check_kinds)s::text[])[r.kind]"
ERROR_KIND_TEXT = "(%(error_kinds)s::text[])[r.error_kind]"
