"""Event ids as UUIDs: the read model keys idempotence on them."""

from __future__ import annotations

import hashlib
import uuid

_FOREIGN_IDS = uuid.UUID("6f1c2a52-5d8e-4b8e-9a43-55d0b9a4f0a1")


def event_uuid(event_id: str) -> uuid.UUID:
    """The id itself when it is a UUID (ours always are), else a stable UUID derived from it."""
    try:
        return uuid.UUID(event_id)
    except ValueError:
        return uuid.uuid5(_FOREIGN_IDS, event_id)


def result_id(event_id: uuid.UUID) -> int:
    """An uptime result's id: 53 bits of a hash of its event id, so a replay writes the same id
    (idempotence keys on monitor, time and this id) and JavaScript reads it exactly.

    Two different events collide only with the same monitor, the same microsecond and the same
    53 bits; storing the 16-byte event id instead would cost 16 B of every 72 B row.
    """
    return int.from_bytes(hashlib.blake2b(event_id.bytes, digest_size=8).digest()) >> 11
