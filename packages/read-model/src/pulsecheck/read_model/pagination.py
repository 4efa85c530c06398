"""Opaque keyset cursors: the sort key of the last row of a page, base64url-encoded JSON."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime


class InvalidCursor(ValueError):
    pass


@dataclass(frozen=True)
class CursorPosition:
    """Rows strictly after (older than) `at`, then `key`, in newest-first order."""

    at: datetime
    key: str


def encode_cursor(position: CursorPosition) -> str:
    raw = json.dumps([position.at.isoformat(), position.key], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str) -> CursorPosition:
    if len(token) > 512:
        raise InvalidCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        at_text, key = json.loads(raw)
        at = datetime.fromisoformat(at_text)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise InvalidCursor("cursor is not one this API issued") from exc
    if not isinstance(key, str) or at.tzinfo is None:
        raise InvalidCursor("cursor is not one this API issued")
    return CursorPosition(at, key)
