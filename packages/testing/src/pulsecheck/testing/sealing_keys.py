"""Key pairs made for a test run: the channels' (notifier) and the monitor headers' (prober)."""

from __future__ import annotations

from dataclasses import dataclass

from pulsecheck.shared.sealing import KeyPair, new_key_pair


@dataclass(frozen=True)
class RunKeys:
    channels: KeyPair
    headers: KeyPair

    @property
    def channel_public(self) -> str:
        """What a producer (the API) is given, as `PULSECHECK_SEALING_PUBLIC_KEYS`."""
        return f"{self.channels.kid}:{self.channels.public}"

    @property
    def header_public(self) -> str:
        return f"{self.headers.kid}:{self.headers.public}"

    @property
    def channel_private(self) -> str:
        return f"{self.channels.kid}:{self.channels.private}"

    @property
    def header_private(self) -> str:
        return f"{self.headers.kid}:{self.headers.private}"


def run_keys() -> RunKeys:
    return RunKeys(new_key_pair("test-c1"), new_key_pair("test-h1"))
