"""TLS sessions kept per target, so the next uptime check of it can resume instead of
doing a full handshake (the daily TLS check never uses them: it always verifies anew)."""

from __future__ import annotations

import ssl
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TypeVar

# (server name sent as SNI, address dialled, port): a session is only ever offered to the
# very endpoint, under the very name, whose certificate it was verified against
SessionKey = tuple[str, str, int]
V = TypeVar("V")

# one session is ~1-2 KiB in OpenSSL: 10,000 targets stay within ~20 MiB
DEFAULT_CAPACITY = 10_000
# reading `SSLObject.session` re-parses the session and its certificate (CPython copies it
# through DER): 0.2 of the 1.3 CPU-ms of an HTTPS check measured against a server issuing no
# tickets, so a target found to issue none is asked again only after this long
NO_TICKET_RECHECK_SECONDS = 600.0


@dataclass
class TlsSessionCache:
    """The latest resumable session of each target, least recently used dropped first."""

    capacity: int = DEFAULT_CAPACITY
    _sessions: OrderedDict[SessionKey, ssl.SSLSession] = field(default_factory=OrderedDict)
    # targets that issued no resumable session, and when that was last seen (loop time)
    _no_ticket: OrderedDict[SessionKey, float] = field(default_factory=OrderedDict)

    def get(self, key: SessionKey) -> ssl.SSLSession | None:
        session = self._sessions.get(key)
        if session is not None:
            self._sessions.move_to_end(key)
        return session

    def worth_reading(self, key: SessionKey, now: float) -> bool:
        """After a full handshake: whether to read the new session (see the recheck above)."""
        seen = self._no_ticket.get(key)
        return seen is None or now - seen >= NO_TICKET_RECHECK_SECONDS

    def keep(self, key: SessionKey, session: ssl.SSLSession | None, now: float) -> None:
        """Remember `session` if a server could resume it (TLS 1.3 ticket or 1.2 id)."""
        if session is None or not (session.has_ticket or session.id):
            self._sessions.pop(key, None)
            _bounded_put(self._no_ticket, key, now, self.capacity)
            return
        self._no_ticket.pop(key, None)
        _bounded_put(self._sessions, key, session, self.capacity)

    def forget(self, key: SessionKey) -> None:
        """After a failed exchange: the next check starts from a full handshake."""
        self._sessions.pop(key, None)

    def __len__(self) -> int:
        return len(self._sessions)


def _bounded_put(entries: OrderedDict[SessionKey, V], key: SessionKey, value: V, cap: int) -> None:
    entries[key] = value
    entries.move_to_end(key)
    while len(entries) > cap:
        entries.popitem(last=False)
