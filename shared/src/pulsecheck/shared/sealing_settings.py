"""Sealing keys from `PULSECHECK_*` variables: public keys for the producers of sealed values,
private keys only for the one consumer that must use each secret.

Two key pairs, so neither consumer can open the other's secrets: channel secrets (opened by the
notifier) and monitor header credentials (opened by the prober, which must send them).
Keys are `kid:base64key` comma lists, newest first; `pulsecheck-admin seal-keygen` makes a pair.
"""

from __future__ import annotations

from pydantic import SecretStr

from pulsecheck.shared.sealing import Opener, Sealer, opener_from, sealer_from
from pulsecheck.shared.settings import CommonSettings


class SealingKeysMissing(RuntimeError):
    pass


def _sealer(keys: str, variable: str) -> Sealer:
    sealer = sealer_from(keys)
    if sealer is None:
        # sealing is not optional: without a key the secret would travel in the clear
        raise SealingKeysMissing(f"set {variable} (`pulsecheck-admin seal-keygen` makes a pair)")
    return sealer


class SealingSettings(CommonSettings):
    """What the API, the web app and the admin CLI hold: public keys, to seal, never to open."""

    sealing_public_keys: str = ""
    header_sealing_public_keys: str = ""

    def channel_sealer(self) -> Sealer:
        return _sealer(self.sealing_public_keys, "PULSECHECK_SEALING_PUBLIC_KEYS")

    def header_sealer(self) -> Sealer:
        return _sealer(self.header_sealing_public_keys, "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS")


class ChannelOpeningSettings(CommonSettings):
    """The notifier's: the private halves of the channel keys (every kid still in use)."""

    sealing_private_keys: SecretStr = SecretStr("")

    def channel_opener(self) -> Opener:
        return opener_from(self.sealing_private_keys.get_secret_value())


class HeaderOpeningSettings(CommonSettings):
    """The prober's: the private halves of the monitor-header keys."""

    header_sealing_private_keys: SecretStr = SecretStr("")

    def header_opener(self) -> Opener:
        return opener_from(self.header_sealing_private_keys.get_secret_value())
