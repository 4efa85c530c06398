"""The HTTP(S) check against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.registry import run_check
from pulsecheck.shared.events import CheckCompleted, CheckRequested, ErrorKind
from pulsecheck.shared.target_safety import AllowList

FIFTY_MB = 50 * 1024 * 1024
MIB = 1024 * 1024


def http_request(target: str, timeout_seconds: float = 5.0, **http: Any) -> CheckRequested:
    now = datetime.now(UTC)
    return CheckRequested.model_validate(
        {
            "request_id": "r-1",
            "monitor_id": "m-1",
            "account_id": "a-1",
            "kind": "http",
            "target": target,
            "http": http,
            "timeout_seconds": timeout_seconds,
            "scheduled_for": now,
            "deadline": now + timedelta(minutes=1),
        }
    )


def response(status: int, body: bytes = b"", *headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", *headers, "", ""]
    return "\r\n".join(lines).encode() + body


async def routes(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """A small site: each path is one behaviour a monitored site can have."""
    head = await reader.readuntil(b"\r\n\r\n")
    path = head.split(b" ", 2)[1].decode()
    if path == "/":
        writer.write(response(200, b"<h1>all systems operational</h1>"))
    elif path == "/echo":
        writer.write(response(200, head))
    elif path == "/json":
        writer.write(response(200, b'{"status": "ok", "checks": [{"db": true}]}'))
    elif path == "/error":
        writer.write(response(500, b"boom"))
    elif path == "/slow":
        await asyncio.sleep(0.06)  # the scenario itself: a slow site
        writer.write(response(200, b"late"))
    elif path.startswith("/hop/"):
        left = int(path.rsplit("/", 1)[1])
        location = f"/hop/{left - 1}" if left > 1 else "/"
        writer.write(response(302, b"", f"Location: {location}"))
    elif path in ("/loop-a", "/loop-b"):
        writer.write(
            response(302, b"", "Location: " + ("/loop-b" if path == "/loop-a" else "/loop-a"))
        )
    elif path.startswith("/to/"):
        writer.write(response(301, b"", f"Location: {path[4:].replace('|', '/')}"))
    elif path == "/huge":
        await send_fifty_megabytes(writer)
    elif path == "/silent":
        while await reader.read(65536):
            pass
    await writer.drain()


async def send_fifty_megabytes(writer: asyncio.StreamWriter) -> None:
    writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {FIFTY_MB}\r\n\r\n".encode())
    chunk = b"x" * MIB
    for _ in range(50):
        writer.write(chunk)
        await writer.drain()


async def check(ctx: ProbeContext, url: str, **kw: Any) -> CheckCompleted:
    return await run_check(http_request(url, **kw), ctx)


async def test_healthy_page(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    result = await check(
        probe_context, f"http://good.test:{site.port}/", body_contains=["operational"]
    )
    assert result.outcome == "up", result.error
    uptime = result.uptime
    assert uptime is not None and uptime.status_code == 200
    assert uptime.bytes_read == len(b"<h1>all systems operational</h1>")
    assert uptime.connect_ms is not None and uptime.first_byte_ms is not None
    assert uptime.tls_ms is None
    assert uptime.latency_ms >= uptime.connect_ms
    assert uptime.final_url == f"http://good.test:{site.port}/"


async def test_https_page_verified_against_the_test_ca(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    site = await fleet.start(routes, certs.signed_by_test_ca("good.test"))
    result = await check(probe_context, f"https://good.test:{site.port}/")
    assert result.outcome == "up", result.error
    assert result.uptime is not None and result.uptime.tls_ms is not None


async def test_second_https_check_resumes_the_session(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    site = await fleet.start(routes, certs.signed_by_test_ca("good.test"))
    first = await check(probe_context, f"https://good.test:{site.port}/")
    second = await check(probe_context, f"https://good.test:{site.port}/")
    assert first.uptime is not None and first.uptime.tls_resumed is False
    assert second.outcome == "up", second.error
    assert second.uptime is not None and second.uptime.tls_resumed is True


async def test_plain_http_reports_no_resumption(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    result = await check(probe_context, f"http://good.test:{site.port}/")
    assert result.uptime is not None and result.uptime.tls_resumed is None
    assert "tls_resumed" not in result.uptime.model_dump(mode="json")


async def test_https_with_expired_certificate_is_a_tls_error(
    fleet: Any, certs: Any, probe_context: ProbeContext
) -> None:
    now = datetime.now(UTC)
    expired = certs.signed_by_test_ca(
        "good.test", not_before=now - timedelta(days=9), not_after=now - timedelta(days=1)
    )
    site = await fleet.start(routes, expired)
    result = await check(probe_context, f"https://good.test:{site.port}/")
    assert result.error is not None and result.error.kind is ErrorKind.TLS
    assert "expired" in result.error.message


async def test_method_and_headers_are_sent(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    result = await check(
        probe_context,
        f"http://good.test:{site.port}/echo",
        method="POST",
        headers={"X-Probe": "yes"},
        body_contains=["POST /echo HTTP/1.1", "x-probe: yes", f"host: good.test:{site.port}"],
    )
    assert result.outcome == "up", result.error


async def test_unexpected_status(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    down = await check(probe_context, f"http://good.test:{site.port}/error")
    assert down.error is not None and down.error.kind is ErrorKind.STATUS
    assert down.uptime is not None and down.uptime.status_code == 500
    expected = await check(
        probe_context,
        f"http://good.test:{site.port}/error",
        expected_status=[{"low": 500, "high": 500}],
    )
    assert expected.outcome == "up"


async def test_body_assertions(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    base = f"http://good.test:{site.port}"
    missing = await check(probe_context, f"{base}/", body_contains=["maintenance"])
    forbidden = await check(probe_context, f"{base}/", body_not_contains=["operational"])
    json_ok = await check(
        probe_context, f"{base}/json", json_field_equals={"/status": "ok", "/checks/0/db": True}
    )
    json_bad = await check(probe_context, f"{base}/json", json_field_equals={"/status": "down"})
    for failed in (missing, forbidden, json_bad):
        assert failed.error is not None and failed.error.kind is ErrorKind.ASSERTION
    assert json_ok.outcome == "up", json_ok.error


async def test_slow_answer_is_degraded(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    result = await check(
        probe_context, f"http://good.test:{site.port}/slow", degraded_latency_ms=30
    )
    assert result.outcome == "degraded"
    assert result.error is None


async def test_redirects_are_followed_to_the_final_url(
    fleet: Any, probe_context: ProbeContext
) -> None:
    site = await fleet.start(routes)
    result = await check(probe_context, f"http://good.test:{site.port}/hop/3")
    assert result.outcome == "up", result.error
    assert result.uptime is not None and result.uptime.redirects == 3
    assert result.uptime.final_url == f"http://good.test:{site.port}/"
    assert result.uptime.status_code == 200


async def test_redirect_loop_stops_at_the_limit(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    result = await check(probe_context, f"http://good.test:{site.port}/loop-a", max_redirects=4)
    assert result.error is not None and result.error.kind is ErrorKind.REDIRECTS
    assert result.uptime is not None and result.uptime.redirects == 4
    assert site.connections == 5


async def test_not_following_redirects_reports_the_redirect(
    fleet: Any, probe_context: ProbeContext
) -> None:
    site = await fleet.start(routes)
    result = await check(
        probe_context, f"http://good.test:{site.port}/hop/1", follow_redirects=False
    )
    assert result.outcome == "up"
    assert result.uptime is not None and result.uptime.status_code == 302


async def test_every_redirect_hop_is_vetted(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    only_the_name = replace(probe_context, allow=AllowList.from_entries(["good.test"]))
    # the next hop spells 127.0.0.1 in decimal: allowed by nothing, so refused unconnected
    hop = f"http:||2130706433:{site.port}|"
    result = await check(only_the_name, f"http://good.test:{site.port}/to/{hop}")
    assert result.error is not None and result.error.kind is ErrorKind.BLOCKED_TARGET
    assert result.uptime is not None and result.uptime.redirects == 1
    assert site.connections == 1


async def test_fifty_megabytes_are_read_only_up_to_the_cap(
    fleet: Any, probe_context: ProbeContext
) -> None:
    site = await fleet.start(routes)
    result = await check(probe_context, f"http://good.test:{site.port}/huge")
    assert result.outcome == "up", result.error
    assert result.uptime is not None and result.uptime.bytes_read == MIB
    undecidable = await check(
        probe_context, f"http://good.test:{site.port}/huge", body_not_contains=["error"]
    )
    assert undecidable.error is not None and undecidable.error.kind is ErrorKind.TOO_LARGE
    assert undecidable.uptime is not None and undecidable.uptime.bytes_read == MIB


async def test_silent_server_times_out(fleet: Any, probe_context: ProbeContext) -> None:
    site = await fleet.start(routes)
    result = await check(probe_context, f"http://good.test:{site.port}/silent", timeout_seconds=0.4)
    assert result.error is not None and result.error.kind is ErrorKind.TIMEOUT
    assert result.uptime is not None and 350 < result.uptime.latency_ms < 3000


async def test_refused_port(probe_context: ProbeContext, closed_port: int) -> None:
    result = await check(probe_context, f"http://127.0.0.1:{closed_port}/")
    assert result.error is not None and result.error.kind is ErrorKind.REFUSED


async def test_loopback_without_allow_list_is_blocked_before_connecting(
    fleet: Any, probe_context: ProbeContext
) -> None:
    site = await fleet.start(routes)
    guarded = replace(probe_context, allow=AllowList())
    for url in (
        f"http://127.0.0.1:{site.port}/",
        f"http://0x7f000001:{site.port}/",
        f"http://0177.0.0.1:{site.port}/",
        f"http://[::ffff:127.0.0.1]:{site.port}/",
        f"http://localhost:{site.port}/",
    ):
        result = await check(guarded, url)
        assert result.error is not None and result.error.kind is ErrorKind.BLOCKED_TARGET, url
    assert site.connections == 0


async def test_unsupported_scheme(probe_context: ProbeContext) -> None:
    result = await check(probe_context, "ftp://good.test/")
    assert result.error is not None and result.error.kind is ErrorKind.PROTOCOL


async def test_credentials_stay_behind_on_a_redirect_to_another_origin(
    fleet: Any, probe_context: ProbeContext
) -> None:
    heads: dict[str, list[str]] = {"site": [], "other": []}

    async def other_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads["other"].append((await reader.readuntil(b"\r\n\r\n")).decode().lower())
        writer.write(response(200, b"ok"))
        await writer.drain()

    other = await fleet.start(other_site)

    async def first_site(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode().lower()
        heads["site"].append(head)
        # the first hop stays on the origin; the second goes to the same name on another port
        onward = "/next" if " /start " in head else f"http://good.test:{other.port}/landed"
        writer.write(response(302, b"", f"Location: {onward}"))
        await writer.drain()

    site = await fleet.start(first_site)
    secrets = {
        "Authorization": "Bearer s3cret-a", "Cookie": "sid=s3cret-c", "X-Api-Key": "s3cret-k",
        "X-Kept": "yes",
    }  # fmt: skip
    url = f"http://good.test:{site.port}/start"
    # a header the monitor marks secret is a credential too
    result = await check(probe_context, url, headers=secrets, secret_headers=["x-api-key"])
    assert result.outcome == "up", result.error
    assert result.uptime is not None and result.uptime.redirects == 2
    assert len(heads["site"]) == 2 and len(heads["other"]) == 1
    assert all("s3cret-a" in h and "s3cret-c" in h and "s3cret-k" in h for h in heads["site"])
    assert "s3cret" not in heads["other"][0] and "x-kept: yes" in heads["other"][0]
