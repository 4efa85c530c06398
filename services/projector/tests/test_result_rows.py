"""Which row each kind's result becomes: DNS as an uptime row, a STARTTLS certificate as TLS."""

from __future__ import annotations

import uuid

from pulsecheck.projector.result_rows import TLS_COLUMNS, UPTIME_COLUMNS, result_row
from pulsecheck.shared.events import CheckError, ErrorKind
from pulsecheck.shared.events.checks import DnsResult
from pulsecheck.testing.results import tls_result, uptime_result

MONITOR = str(uuid.uuid4())
ACCOUNT = str(uuid.uuid4())


def test_a_failed_dns_check_is_an_uptime_row_with_its_error() -> None:
    check = uptime_result(MONITOR, 0, "down", account_id=ACCOUNT).model_copy(
        update={
            "kind": "dns",
            "target": "dns://shop.example.test",
            "error": CheckError(kind=ErrorKind.NXDOMAIN, message="the name does not exist"),
            "dns": DnsResult(record_type="A", nameserver="192.0.2.53", rcode="NXDOMAIN"),
        }
    )
    row = result_row(uuid.uuid4(), check)
    values = dict(zip(UPTIME_COLUMNS, row.values, strict=True))
    assert row.table == "uptime_results"
    assert (values["kind"], values["outcome"], values["error_kind"]) == ("dns", "down", "nxdomain")


def test_a_certificate_read_after_starttls_is_a_tls_row() -> None:
    check = tls_result(MONITOR, 0, days_remaining=5, account_id=ACCOUNT).model_copy(
        update={"target": "smtp://mail.example.test:587"}
    )
    row = result_row(uuid.uuid4(), check)
    values = dict(zip(TLS_COLUMNS, row.values, strict=True))
    assert row.table == "tls_results"
    assert (values["is_valid"], values["days_remaining"]) == (True, 5)
