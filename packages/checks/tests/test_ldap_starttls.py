"""LDAP StartTLS by hand-written BER: the request's bytes and the response's result code."""

from __future__ import annotations

import pytest

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.ldap_starttls import extended_request, extended_result
from pulsecheck.testing.starttls_servers import ldap_extended_response


def test_the_request_is_the_rfc_4511_extended_request() -> None:
    oid = b"1.3.6.1.4.1.1466.20037"
    expected = bytes.fromhex("301d020101771880") + bytes((len(oid),)) + oid
    assert extended_request() == expected


@pytest.mark.parametrize(
    ("message", "result"),
    [
        (ldap_extended_response(1, 0), (0, "")),
        (ldap_extended_response(1, 2, b"unsupported"), (2, "unsupported")),
        # the same success with long-form lengths, as some servers send
        (
            bytes.fromhex("3084000000100201017884000000070a010004000400"),
            (0, ""),
        ),
    ],
)
def test_the_result_code_of_a_response(message: bytes, result: tuple[int, str]) -> None:
    assert extended_result(message) == result


@pytest.mark.parametrize(
    "message",
    [
        b"",
        b"\x30",
        bytes.fromhex("3005020101"),  # truncated
        bytes.fromhex("300702010161020a00"),  # a BindResponse, not an ExtendedResponse
        bytes.fromhex("04020000"),  # not a SEQUENCE
    ],
)
def test_malformed_responses_are_protocol_errors(message: bytes) -> None:
    with pytest.raises(ProbeFailure) as failure:
        extended_result(message)
    assert failure.value.kind == "protocol"
