"""LDAP's StartTLS extended operation (RFC 4511 §4.14), with just enough BER by hand.

The request is one fixed message; the response is read only as far as its result code.
"""

from __future__ import annotations

import asyncio
from typing import Final

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.shared.events import ErrorKind

STARTTLS_OID: Final = b"1.3.6.1.4.1.1466.20037"
MESSAGE_ID: Final = 1
# an ExtendedResponse is a few dozen bytes; anything near this is not one
MAX_MESSAGE_BYTES: Final = 64 * 1024

_SEQUENCE, _INTEGER, _ENUMERATED, _OCTET_STRING = 0x30, 0x02, 0x0A, 0x04
_EXTENDED_REQUEST, _EXTENDED_RESPONSE, _REQUEST_NAME = 0x77, 0x78, 0x80


def _tlv(tag: int, value: bytes) -> bytes:
    # short-form lengths: every part of this request is under 128 bytes
    assert len(value) < 0x80
    return bytes((tag, len(value))) + value


def extended_request(message_id: int = MESSAGE_ID) -> bytes:
    """LDAPMessage { messageID, ExtendedRequest { requestName [0] StartTLS OID } }."""
    operation = _tlv(_EXTENDED_REQUEST, _tlv(_REQUEST_NAME, STARTTLS_OID))
    return _tlv(_SEQUENCE, _tlv(_INTEGER, bytes((message_id,))) + operation)


def _malformed(what: str) -> ProbeFailure:
    return ProbeFailure(ErrorKind.PROTOCOL, f"not an LDAP response: {what}")


def read_tlv(data: bytes, offset: int) -> tuple[int, bytes, int]:
    """(tag, value, offset after it) of the BER element at `offset`."""
    if offset + 2 > len(data):
        raise _malformed("truncated element")
    tag, first = data[offset], data[offset + 1]
    start = offset + 2
    length = first
    if first & 0x80:
        count = first & 0x7F
        if not 1 <= count <= 4 or start + count > len(data):
            raise _malformed("bad length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    if start + length > len(data):
        raise _malformed("truncated element")
    return tag, data[start : start + length], start + length


def extended_result(message: bytes) -> tuple[int, str]:
    """The result code and diagnostic message of an LDAPMessage carrying an ExtendedResponse."""
    tag, body, _ = read_tlv(message, 0)
    if tag != _SEQUENCE:
        raise _malformed("not a SEQUENCE")
    tag, _, offset = read_tlv(body, 0)
    if tag != _INTEGER:
        raise _malformed("no message id")
    tag, operation, _ = read_tlv(body, offset)
    if tag != _EXTENDED_RESPONSE:
        raise _malformed(f"operation 0x{tag:02x} where an ExtendedResponse was expected")
    tag, code, offset = read_tlv(operation, 0)
    if tag != _ENUMERATED or not code:
        raise _malformed("no result code")
    _, _, offset = read_tlv(operation, offset)  # matchedDN
    _, diagnostic, _ = read_tlv(operation, offset)
    return int.from_bytes(code, "big"), diagnostic.decode("utf-8", "replace")[:200]


async def read_message(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readexactly(2)
    extra = head[1] & 0x7F if head[1] & 0x80 else 0
    if extra > 4:
        raise _malformed("bad length")
    length_bytes = await reader.readexactly(extra)
    length = int.from_bytes(length_bytes, "big") if extra else head[1]
    if length > MAX_MESSAGE_BYTES:
        raise _malformed(f"a {length}-byte message")
    return head + length_bytes + await reader.readexactly(length)


async def starttls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
    writer.write(extended_request())
    code, diagnostic = extended_result(await read_message(reader))
    if code != 0:
        message = f"LDAP server refused StartTLS: result {code} {diagnostic}".strip()
        raise ProbeFailure(ErrorKind.STARTTLS_REFUSED, message)
