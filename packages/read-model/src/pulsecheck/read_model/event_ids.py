"""Event ids as UUIDs: the read model keys idempotence on them."""

from __future__ import annotations

import uuid

_FOREIGN_IDS = uuid.UUID("6f1c2a52-5d8e-4b8e-9a43-55d0b9a4f0a1")


def event_uuid(event_id: str) -> uuid.UUID:
    """The id itself when it is a UUID (ours always are), else a stable UUID derived from it."""
    try:
        return uuid.UUID(event_id)
    except ValueError:
        return uuid.uuid5(_FOREIGN_IDS, event_id)
