"""Servers that speak each protocol's upgrade to TLS, as asyncio stream handlers on loopback,
and one (`immediate_tls`) that speaks TLS from the first byte, as a tls:// target does.

Each factory takes the server's TLS context, or None for a server that refuses the upgrade.
The LDAP responses are encoded here by hand, apart from the prober's own encoder.
"""

from __future__ import annotations

import asyncio
import ssl
import struct
from collections.abc import Awaitable, Callable

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
UpgradingServer = Callable[[ssl.SSLContext | None], Handler]

_SSL_REQUEST = struct.pack("!II", 8, 80877103)


async def _serve_tls(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, tls: ssl.SSLContext
) -> None:
    await writer.drain()
    await writer.start_tls(tls)
    # hold the connection until the client, having read the certificate, drops it
    await reader.read(1)


async def _say(writer: asyncio.StreamWriter, *lines: bytes) -> None:
    writer.write(b"".join(line + b"\r\n" for line in lines))
    await writer.drain()


def smtp(tls: ssl.SSLContext | None) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _say(writer, b"220-mail.pulsecheck.test ESMTP", b"220 ready")
        await reader.readline()
        offered = [b"250-STARTTLS"] if tls is not None else []
        await _say(
            writer, b"250-mail.pulsecheck.test", b"250-PIPELINING", *offered, b"250 8BITMIME"
        )
        command = await reader.readline()
        if tls is None or command.strip().upper() != b"STARTTLS":
            await _say(writer, b"502 5.5.1 not implemented")
            return
        await _say(writer, b"220 2.0.0 go ahead")
        await _serve_tls(reader, writer, tls)

    return handle


def imap(tls: ssl.SSLContext | None) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _say(writer, b"* OK [CAPABILITY IMAP4rev1] ready")
        tag, _, command = (await reader.readline()).strip().partition(b" ")
        if tls is None or command.upper() != b"STARTTLS":
            await _say(writer, tag + b" BAD STARTTLS not available")
            return
        await _say(writer, b"* CAPABILITY IMAP4rev1 STARTTLS", tag + b" OK begin TLS")
        await _serve_tls(reader, writer, tls)

    return handle


def pop3(tls: ssl.SSLContext | None) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _say(writer, b"+OK POP3 ready")
        command = await reader.readline()
        if tls is None or command.strip().upper() != b"STLS":
            await _say(writer, b"-ERR command not supported")
            return
        await _say(writer, b"+OK begin TLS")
        await _serve_tls(reader, writer, tls)

    return handle


def _ber(tag: int, value: bytes) -> bytes:
    return bytes((tag, len(value))) + value


def ldap_extended_response(message_id: int, result_code: int, diagnostic: bytes = b"") -> bytes:
    """LDAPMessage { messageID, ExtendedResponse { resultCode, matchedDN, diagnosticMessage } }."""
    response = _ber(0x0A, bytes((result_code,))) + _ber(0x04, b"") + _ber(0x04, diagnostic)
    return _ber(0x30, _ber(0x02, bytes((message_id,))) + _ber(0x78, response))


def ldap(tls: ssl.SSLContext | None) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readexactly(2)
        request = await reader.readexactly(head[1])
        message_id = request[2]
        if tls is None:
            # 2: protocolError, what servers without StartTLS answer
            writer.write(ldap_extended_response(message_id, 2, b"unsupported extended operation"))
            await writer.drain()
            return
        writer.write(ldap_extended_response(message_id, 0))
        await _serve_tls(reader, writer, tls)

    return handle


def postgres(tls: ssl.SSLContext | None) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if await reader.readexactly(8) != _SSL_REQUEST:
            return
        writer.write(b"S" if tls is not None else b"N")
        if tls is not None:
            await _serve_tls(reader, writer, tls)
        else:
            await writer.drain()
            # a real server now waits for a plain StartupMessage; the client will not send one
            await reader.read(1)

    return handle


def immediate_tls(tls: ssl.SSLContext | None) -> Handler:
    """No exchange before the handshake (tls://, https); None: a server that speaks no TLS."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if tls is None:
            await reader.read(1)
            return
        await _serve_tls(reader, writer, tls)

    return handle


UPGRADING_SERVERS: dict[str, UpgradingServer] = {
    "smtp": smtp,
    "imap": imap,
    "pop3": pop3,
    "ldap": ldap,
    "postgres": postgres,
}
