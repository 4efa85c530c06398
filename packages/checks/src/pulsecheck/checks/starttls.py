"""The plain-text exchanges before a certificate can be read: SMTP, IMAP and POP3 STARTTLS,
PostgreSQL's SSLRequest, LDAP's StartTLS (`ldap_starttls`); one per URL scheme.

After the exchange the TLS check reads the certificate exactly as it does for https, so a mail,
directory or database server gets the same facts, errors and expiry warnings as a web site.
"""

from __future__ import annotations

import asyncio
import struct
from typing import Final

from pulsecheck.checks import ldap_starttls
from pulsecheck.checks.connection import Upgrade
from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.shared.events import ErrorKind
from pulsecheck.shared.events.targets import target_scheme

# a server that talks on and on is not one we are waiting for (an EHLO reply has ~10 lines)
MAX_REPLY_LINES: Final = 100
# PostgreSQL's SSLRequest: length 8, then the magic code 1234.5679
_SSL_REQUEST: Final = struct.pack("!II", 8, 80877103)


def refused(protocol: str, reply: bytes) -> ProbeFailure:
    text = reply.decode("utf-8", "replace").strip()[:200]
    return ProbeFailure(ErrorKind.STARTTLS_REFUSED, f"{protocol} server refused TLS: {text!r}")


def unexpected(protocol: str, reply: bytes) -> ProbeFailure:
    text = reply.decode("utf-8", "replace").strip()[:200]
    return ProbeFailure(ErrorKind.PROTOCOL, f"not a {protocol} server: {text!r}")


async def read_line(reader: asyncio.StreamReader, protocol: str) -> bytes:
    try:
        line = await reader.readline()
    except ValueError as exc:
        # the stream's limit (64 KiB) was passed without a line end
        raise ProbeFailure(ErrorKind.PROTOCOL, f"{protocol} line too long") from exc
    if not line.endswith(b"\n"):
        raise ProbeFailure(ErrorKind.CONNECTION, f"{protocol} server closed the connection")
    return line


async def _smtp_reply(reader: asyncio.StreamReader) -> list[bytes]:
    """One SMTP reply: lines "250-…" continue, "250 …" ends it."""
    lines: list[bytes] = []
    while len(lines) < MAX_REPLY_LINES:
        line = await read_line(reader, "SMTP")
        if len(line) < 3 or not line[:3].isdigit():
            raise unexpected("SMTP", line)
        lines.append(line)
        if line[3:4] != b"-":
            return lines
    raise ProbeFailure(ErrorKind.PROTOCOL, "SMTP reply longer than 100 lines")


async def smtp(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
    greeting = await _smtp_reply(reader)
    if not greeting[-1].startswith(b"220"):
        raise unexpected("SMTP", greeting[-1])
    # .invalid: a name that is surely ours alone (RFC 2606)
    writer.write(b"EHLO pulsecheck.invalid\r\n")
    extensions = await _smtp_reply(reader)
    offered = {line[4:].split()[0].upper() for line in extensions[1:] if len(line) > 4}
    if not extensions[-1].startswith(b"250") or b"STARTTLS" not in offered:
        raise refused("SMTP", b"no STARTTLS in the EHLO reply")
    writer.write(b"STARTTLS\r\n")
    answer = await _smtp_reply(reader)
    if not answer[-1].startswith(b"220"):
        raise refused("SMTP", answer[-1])


async def imap(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
    greeting = await read_line(reader, "IMAP")
    if not greeting.upper().startswith(b"* OK"):
        raise unexpected("IMAP", greeting)
    writer.write(b"P1 STARTTLS\r\n")
    for _ in range(MAX_REPLY_LINES):
        line = await read_line(reader, "IMAP")
        # untagged lines ("* CAPABILITY …") may come before the tagged answer
        if line.startswith(b"P1 "):
            if not line[3:].upper().startswith(b"OK"):
                raise refused("IMAP", line)
            return
    raise ProbeFailure(ErrorKind.PROTOCOL, "no IMAP answer to STARTTLS within 100 lines")


async def pop3(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
    greeting = await read_line(reader, "POP3")
    if not greeting.startswith(b"+OK"):
        raise unexpected("POP3", greeting)
    writer.write(b"STLS\r\n")
    answer = await read_line(reader, "POP3")
    if not answer.startswith(b"+OK"):
        raise refused("POP3", answer)


async def postgres(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
    writer.write(_SSL_REQUEST)
    answer = await reader.readexactly(1)
    if answer == b"N":
        raise refused("PostgreSQL", b"N (SSL is not enabled)")
    if answer != b"S":
        raise unexpected("PostgreSQL", answer)


UPGRADES: Final[dict[str, Upgrade]] = {
    "smtp": smtp,
    "imap": imap,
    "pop3": pop3,
    "ldap": ldap_starttls.starttls,
    "postgres": postgres,
}


def upgrade_for(target: str) -> Upgrade | None:
    """The exchange the target's scheme needs before TLS (None: TLS from the first byte)."""
    scheme = target_scheme(target.strip())
    return UPGRADES[scheme.upgrade] if scheme is not None and scheme.upgrade else None
