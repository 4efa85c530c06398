"""Recipients as they may appear on shared topics and in logs: a keyed hash, never the address.

A plain hash of a phone number is reversed by hashing every number; an HMAC with a key from
settings (`PULSECHECK_RECIPIENT_HASH_KEY`) is not, and stays stable across restarts and
replicas, so a delivery key built from it still makes a delivery at most once per recipient.
"""

from __future__ import annotations

import hashlib
import hmac

# 128 bits: ample to tell one account's recipients apart, short enough for keys and logs
DIGEST_HEX_CHARS = 32


class RecipientDigest:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, recipient: str) -> str:
        mac = hmac.new(self._key, recipient.encode(), hashlib.sha256)
        return mac.hexdigest()[:DIGEST_HEX_CHARS]
