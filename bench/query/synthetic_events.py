"""CheckCompleted envelopes for the benchmark, as wire bytes, fast.

Millions of events through pydantic would take longer than projecting them, so the bytes come
from a format string laid out exactly like `pulsecheck.shared.events.encode` output;
`verify_against_codec` decodes samples with the real codec and compares field by field.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from pulsecheck.projector.result_rows import result_row
from pulsecheck.read_model.event_ids import event_uuid
from pulsecheck.shared.events import CheckCompleted, Envelope, decode

_HEAD = (
    '{{"specversion":"1.0","id":"{event_id}","source":"bench/query",'
    '"type":"io.pulsecheck.check.completed.v1","time":"{at}","subject":"{monitor}",'
    '"datacontenttype":"application/json","data":{{"request_id":"{monitor}:{kind}:{at}",'
    '"monitor_id":"{monitor}","account_id":"{account}","kind":"{kind}","region":"bench",'
    '"target":"https://site-{monitor}.example/","scheduled_for":"{at}","started_at":"{at}",'
    '"finished_at":"{at}","outcome":"{outcome}","error":{error},'
)
_UPTIME = (
    _HEAD + '"uptime":{{"status_code":{status},"latency_ms":{latency},"bytes_read":512,'
    '"final_url":null,"redirects":0}},"tls":null}}}}'
)
_TLS = (
    _HEAD + '"uptime":null,"tls":{{"valid":{valid},"not_before":"{not_before}",'
    '"expiry_date":"{expiry}","days_remaining":{days},"issuer":"R11",'
    '"issuer_organization":"Let\'s Encrypt","subject":"site.example","sans":["site.example"],'
    '"serial":"04a1b2","fingerprint_sha256":"{fingerprint}","chain_earliest_expiry":"{expiry}",'
    '"hostname_match":true,"self_signed":false,"tls_version":"TLSv1.3",'
    '"cipher":"TLS_AES_256_GCM_SHA384","needs_renewal":{renewal}}}}}}}'
)
_DOWN = '{"kind":"status","message":"status 503 not in 200-399"}'
_EXPIRED = '{"kind":"expired","message":"certificate verification failed: expired"}'


@dataclass(frozen=True)
class BenchMonitor:
    monitor_id: str
    account_id: str


@dataclass(frozen=True)
class History:
    """`per_monitor` results per monitor, one every `spacing` (a monitor's check interval)
    up to `end`; every `tls_every`-th one is a TLS check, the others HTTP checks."""

    monitors: list[BenchMonitor]
    per_monitor: int
    end: datetime
    spacing: timedelta = timedelta(seconds=60)
    tls_every: int = 10
    # event ids are serials from here on: slices produced apart must not share any
    first_serial: int = 0

    @property
    def total(self) -> int:
        return self.per_monitor * len(self.monitors)


def _event_id(serial: int) -> str:
    return f"b0000000-0000-4000-8000-{serial:012x}"


def uptime_event(serial: int, monitor: BenchMonitor, at: str, rng: random.Random) -> bytes:
    roll = rng.random()
    outcome = "down" if roll < 0.02 else "degraded" if roll < 0.03 else "up"
    return _UPTIME.format(
        event_id=_event_id(serial),
        at=at,
        monitor=monitor.monitor_id,
        account=monitor.account_id,
        kind="http",
        outcome=outcome,
        error=_DOWN if outcome == "down" else "null",
        status=503 if outcome == "down" else 200,
        latency=round(rng.lognormvariate(4.5, 0.6), 1),
    ).encode()


def tls_event(serial: int, monitor: BenchMonitor, at: datetime, at_text: str) -> bytes:
    expired = serial % 97 == 0
    expiry = at + timedelta(days=-2 if expired else 60)
    return _TLS.format(
        event_id=_event_id(serial),
        at=at_text,
        monitor=monitor.monitor_id,
        account=monitor.account_id,
        kind="tls",
        outcome="down" if expired else "up",
        error=_EXPIRED if expired else "null",
        valid="false" if expired else "true",
        not_before=(expiry - timedelta(days=90)).isoformat(),
        expiry=expiry.isoformat(),
        days=-2 if expired else 60,
        fingerprint=f"{serial:064x}",
        renewal="true" if expired else "false",
    ).encode()


def events(history: History, seed: int = 7) -> Iterator[tuple[str, bytes]]:
    """(monitor id, value) in time order, every monitor interleaved, as checks arrive."""
    rng = random.Random(seed)
    step = history.spacing
    start = history.end - step * history.per_monitor
    serial = history.first_serial
    for n in range(history.per_monitor):
        base = start + step * n
        for index, monitor in enumerate(history.monitors):
            # spread the monitors over the step so timestamps do not all coincide
            at = base + step * (index / len(history.monitors))
            at_text = at.isoformat()
            serial += 1
            if n % history.tls_every == history.tls_every - 1:
                yield monitor.monitor_id, tls_event(serial, monitor, at, at_text)
            else:
                yield monitor.monitor_id, uptime_event(serial, monitor, at_text, rng)


def verify_against_codec(history: History, samples: int = 200) -> None:
    """Sampled values decode with the real codec into the CheckCompleted the projector maps
    to a row: the fast path produces what a prober would."""
    for count, (key, value) in enumerate(events(history)):
        if count >= samples:
            return
        envelope = decode(value)
        assert isinstance(envelope, Envelope), envelope
        check = envelope.data
        assert isinstance(check, CheckCompleted), check
        assert check.monitor_id == envelope.subject == key
        assert (check.tls is None) == (check.kind != "tls")
        result_row(event_uuid(envelope.id), check)
