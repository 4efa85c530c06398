"""An authoritative DNS server for one test zone on 127.0.0.1 (UDP), answering from zone text.

dnspython parses the queries and the zone; the answering is the few rules an authoritative
server needs (CNAME chains inside the zone, NXDOMAIN and NODATA with the SOA). `mode` turns it
into a failing server (SERVFAIL to everything) or a silent one (reads queries, never answers).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Literal, cast

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone

ServerMode = Literal["answer", "servfail", "silent"]

TEST_ZONE = """
$ORIGIN pulsecheck.test.
$TTL 300
@     IN SOA ns1 hostmaster 1 3600 600 86400 60
@     IN NS  ns1
@     IN MX  10 mail
@     IN MX  20 Mail2
@     IN TXT "v=spf1 " "-all"
@     IN CAA 0 issue "letsencrypt.org"
ns1   IN A   127.0.0.1
www   120 IN A 192.0.2.10
www   120 IN A 192.0.2.11
www   IN AAAA 2001:db8::10
alias IN CNAME www
only-v4 IN A 192.0.2.20
"""

_MAX_CHAIN = 8


class ZoneServer(asyncio.DatagramProtocol):
    def __init__(self, zone: dns.zone.Zone, mode: ServerMode) -> None:
        assert zone.origin is not None, "a zone read from text has its $ORIGIN"
        self.zone = zone
        self.origin: dns.name.Name = zone.origin
        self.mode = mode
        self.queries = 0
        self.transport: asyncio.DatagramTransport | None = None

    @property
    def port(self) -> int:
        assert self.transport is not None
        port: int = self.transport.get_extra_info("sockname")[1]
        return port

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # the selector loop's datagram transport does not subclass DatagramTransport
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | int, int]) -> None:
        self.queries += 1
        if self.mode == "silent" or self.transport is None:
            return
        try:
            query = dns.message.from_wire(data)
        except dns.exception.DNSException:
            return
        response = dns.message.make_response(query)
        if self.mode == "servfail":
            response.set_rcode(dns.rcode.SERVFAIL)
        else:
            response.flags |= dns.flags.AA
            self._answer(query, response)
        self.transport.sendto(response.to_wire(), addr)

    def _answer(self, query: dns.message.Message, response: dns.message.Message) -> None:
        question = query.question[0]
        name: dns.name.Name = question.name
        if not name.is_subdomain(self.origin):
            response.set_rcode(dns.rcode.REFUSED)
            return
        for _ in range(_MAX_CHAIN):
            node = self.zone.get_node(name)
            if node is None:
                response.set_rcode(dns.rcode.NXDOMAIN)
                break
            found = node.get_rdataset(dns.rdataclass.IN, question.rdtype)
            if found is not None:
                response.answer.append(_rrset(name, found))
                return
            alias = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if alias is None:
                break
            response.answer.append(_rrset(name, alias))
            name = next(iter(alias)).target
        soa = self.zone.get_rdataset(self.origin, dns.rdatatype.SOA)
        assert soa is not None
        response.authority.append(_rrset(self.origin, soa))


def _rrset(name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    return dns.rrset.from_rdata_list(name, rdataset.ttl, list(rdataset))


@asynccontextmanager
async def serve_zone(
    text: str = TEST_ZONE, mode: ServerMode = "answer"
) -> AsyncIterator[ZoneServer]:
    """A server for `text` on 127.0.0.1 (an ephemeral UDP port), closed on exit."""
    zone = dns.zone.from_text(text, relativize=False)
    loop = asyncio.get_running_loop()
    transport, server = await loop.create_datagram_endpoint(
        lambda: ZoneServer(zone, mode), local_addr=("127.0.0.1", 0)
    )
    try:
        yield server
    finally:
        transport.close()
