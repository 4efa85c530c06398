"""API keys: made from a CSPRNG, shown once, stored only as their SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

KEY_PREFIX = "pc_"


def new_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def visible_prefix(key: str) -> str:
    """Enough of a key to recognise it in a list, far too little to use it."""
    return key[: len(KEY_PREFIX) + 6]
