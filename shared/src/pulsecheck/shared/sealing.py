"""Sealed values: a secret encrypted to a public key, so producers seal what only a holder of the
private key (the notifier for channels, the prober for monitor headers) can open.

A sealed value is one compact string, `pcs1.<kid>.<epk>.<nonce>.<ct>` (base64url, no padding):
an ephemeral X25519 key agreed with the recipient key `kid`, HKDF-SHA256 to a ChaCha20-Poly1305
key, and the record's identity (e.g. `channel/<id>/secret`) as associated data, so a value
copied into another record or field does not open. The kid names the key pair, so keys rotate:
producers seal to the first public key listed; holders keep every private key still in use.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

PREFIX = "pcs1"
_KID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_HKDF_INFO = b"pulsecheck sealed value v1"


class SealingError(ValueError):
    """A value that cannot be opened: malformed, an unknown kid, or tampered with."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SealingError("a sealed value is not base64url") from exc


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX + ".")


def kid_of(value: str) -> str:
    parts = value.split(".")
    if len(parts) != 5 or parts[0] != PREFIX:
        raise SealingError("not a sealed value")
    return parts[1]


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _aead_key(shared: bytes, epk: bytes, recipient: bytes) -> ChaCha20Poly1305:
    # both public keys in the derivation: the key belongs to this exchange and no other
    hkdf = HKDF(hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO + epk + recipient)
    return ChaCha20Poly1305(hkdf.derive(shared))


def _associated(kid: str, context: str) -> bytes:
    return f"{PREFIX}|{kid}|{context}".encode()


def _checked_kid(kid: str) -> str:
    if not _KID.match(kid):
        raise ValueError("a key id is 1-32 letters, digits, '_' or '-'")
    return kid


@dataclass(frozen=True)
class Sealer:
    """Seals to one public key; what every producer (API, admin, web app) holds."""

    kid: str
    public_key: X25519PublicKey

    def seal(self, plaintext: str, context: str) -> str:
        ephemeral = X25519PrivateKey.generate()
        epk = _raw_public(ephemeral.public_key())
        aead = _aead_key(ephemeral.exchange(self.public_key), epk, _raw_public(self.public_key))
        nonce = os.urandom(12)
        ct = aead.encrypt(nonce, plaintext.encode(), _associated(self.kid, context))
        return ".".join((PREFIX, self.kid, _b64(epk), _b64(nonce), _b64(ct)))


@dataclass(frozen=True)
class Opener:
    """Opens values sealed to any of its private keys; only the consumer that must use the
    secret holds one (the notifier for channels, the prober for monitor headers)."""

    private_keys: Mapping[str, X25519PrivateKey]

    def open(self, value: str, context: str) -> str:
        parts = value.split(".")
        if len(parts) != 5 or parts[0] != PREFIX:
            raise SealingError("not a sealed value")
        _, kid, epk_text, nonce_text, ct_text = parts
        private = self.private_keys.get(kid)
        if private is None:
            raise SealingError(f"no private key for kid {kid!r}")
        epk, nonce, ct = _unb64(epk_text), _unb64(nonce_text), _unb64(ct_text)
        if len(epk) != 32 or len(nonce) != 12:
            raise SealingError("a sealed value has a malformed key or nonce")
        recipient = _raw_public(private.public_key())
        aead = _aead_key(private.exchange(X25519PublicKey.from_public_bytes(epk)), epk, recipient)
        try:
            plaintext = aead.decrypt(nonce, ct, _associated(kid, context))
        except InvalidTag:
            # the message says neither the value nor the context: both may be logged
            raise SealingError(
                "a sealed value does not open: tampered, or not this record's"
            ) from None
        return plaintext.decode()

    def open_if_sealed(self, value: str, context: str) -> str:
        """Values written before sealing was switched on pass through until resealed."""
        return self.open(value, context) if is_sealed(value) else value


def _entries(text: str) -> list[tuple[str, bytes]]:
    entries = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        kid, sep, key = item.partition(":")
        if not sep:
            raise ValueError("keys are listed as kid:base64key, comma-separated")
        raw = _unb64(key.strip())
        if len(raw) != 32:
            raise ValueError(f"key {kid!r} is not 32 bytes")
        entries.append((_checked_kid(kid.strip()), raw))
    return entries


def sealer_from(public_keys: str) -> Sealer | None:
    """The first of `kid:key,...` seals (list the newest first); None when none is set."""
    entries = _entries(public_keys)
    if not entries:
        return None
    kid, raw = entries[0]
    return Sealer(kid, X25519PublicKey.from_public_bytes(raw))


def sealer_for(public_keys: str, kid: str) -> Sealer:
    """The public key `kid` of the list (re-sealing to a chosen key), or KeyError."""
    raw = dict(_entries(public_keys))[kid]
    return Sealer(kid, X25519PublicKey.from_public_bytes(raw))


def opener_from(private_keys: str) -> Opener:
    return Opener(
        {kid: X25519PrivateKey.from_private_bytes(raw) for kid, raw in _entries(private_keys)}
    )


@dataclass(frozen=True)
class KeyPair:
    kid: str
    public: str
    private: str


def new_key_pair(kid: str) -> KeyPair:
    private = X25519PrivateKey.generate()
    return KeyPair(
        _checked_kid(kid),
        _b64(_raw_public(private.public_key())),
        _b64(private.private_bytes_raw()),
    )


def channel_context(channel_id: str, field: str) -> str:
    """A channel's sealed field is bound to the channel and the field (a previous webhook
    secret is still the channel's `secret`)."""
    return f"channel/{channel_id}/{field}"


def header_context(monitor_id: str, header: str) -> str:
    return f"monitor/{monitor_id}/header/{header.lower()}"
