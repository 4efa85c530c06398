"""The change feed between the projector and the web app: PostgreSQL LISTEN/NOTIFY.

The projector notifies, in the transaction that writes a website's rows, one small payload
per changed website ("<account id>:<monitor id>", 73 bytes); PostgreSQL delivers it only on
commit, so a listener never hears of rows it cannot read yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from pulsecheck.read_model.storage.connection import Connection

CHANNEL = "pulsecheck_changes"


@dataclass(frozen=True)
class Change:
    account_id: uuid.UUID
    monitor_id: uuid.UUID

    @property
    def payload(self) -> str:
        return f"{self.account_id}:{self.monitor_id}"


def parse_change(payload: str) -> Change | None:
    """The change a payload names; None for anything else (another writer's notice)."""
    account, _, monitor = payload.partition(":")
    try:
        return Change(uuid.UUID(account), uuid.UUID(monitor))
    except ValueError:
        return None


async def notify_changes(conn: Connection, changes: Iterable[Change]) -> None:
    """Queue one notice per distinct change; sent when the caller's transaction commits."""
    payloads = sorted({change.payload for change in changes})
    if payloads:
        await conn.execute(
            "SELECT pg_notify(%s, p) FROM unnest(%s::text[]) AS p", (CHANNEL, payloads)
        )
