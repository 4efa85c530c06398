from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme

from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.settings import CommonSettings


def test_plaintext_asks_for_nothing() -> None:
    assert PLAINTEXT.client_kwargs() == {"security_protocol": "PLAINTEXT"}


def test_sasl_plaintext_carries_the_scram_credentials_and_no_tls() -> None:
    security = KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", "prober", "s3cret")
    assert security.client_kwargs() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "prober",
        "sasl_plain_password": "s3cret",
        "ssl_context": None,
    }


def test_sasl_ssl_verifies_the_broker_against_the_given_ca(tmp_path: Path) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    context = KafkaSecurity("SASL_SSL", "SCRAM-SHA-512", "u", "p", ca_file).ssl_context()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    assert len(context.get_ca_certs()) == 1


def test_sasl_without_credentials_is_refused_at_startup() -> None:
    with pytest.raises(ValueError, match="username and password"):
        KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", "prober", None)


def test_the_password_never_shows_in_a_repr() -> None:
    security = KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", "prober", "s3cret")
    assert "s3cret" not in repr(security)


def test_settings_read_the_security_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULSECHECK_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("PULSECHECK_KAFKA_USERNAME", "pulsecheck-prober")
    monkeypatch.setenv("PULSECHECK_KAFKA_PASSWORD", "s3cret")
    settings = CommonSettings()
    assert "s3cret" not in repr(settings)
    assert settings.kafka_security() == KafkaSecurity(
        "SASL_PLAINTEXT", "SCRAM-SHA-512", "pulsecheck-prober", "s3cret"
    )
