"""Bearer secrets of the web app (session and invite tokens): random, kept only hashed.

SHA-256 suffices: the tokens carry 256 random bits, so there is nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
