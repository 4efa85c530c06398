"""Resolvers for the outbound guard that never send a DNS query out of the test."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pulsecheck.shared.target_safety import TargetUnresolvable

# channel URLs the API tests register: one public-looking, one private
CHANNEL_HOSTS: Mapping[str, Sequence[str]] = {
    "hooks.slack.com": ["93.184.216.34"],
    "hooks.internal.test": ["10.1.2.3"],
}


class TableResolver:
    """Answers from a table; a name not in it cannot be resolved. Nothing is looked up."""

    def __init__(self, answers: Mapping[str, Sequence[str]] | None = None) -> None:
        self._answers = dict(CHANNEL_HOSTS if answers is None else answers)

    async def resolve(self, host: str, port: int) -> Sequence[str]:
        if host not in self._answers:
            raise TargetUnresolvable(host)
        return self._answers[host]
