from __future__ import annotations

import pytest

from pulsecheck.cli.document import MonitorsFile, WebsiteDeclaration, env_name_for
from pulsecheck.cli.file_text import InvalidFile, monitors_text, read_monitors
from pulsecheck.shared.events import MonitorConfiguration

URLS = [
    "https://shop.example/",
    "http://shop.example:8080/",
    "tls://mail.example:465",
    "tcp://db.example:5432",
    "smtp://mx.example:587",
    "dns://example.test",
    "heartbeat://nightly-backup",
]


@pytest.mark.parametrize("url", URLS)
def test_a_bare_declaration_is_the_contracts_defaults(url: str) -> None:
    declared = WebsiteDeclaration(name="n", url=url).full_form()
    contract = MonitorConfiguration(name="n", url=url).model_dump(mode="json")
    # tls_window_seconds: the API neither shows nor patches it, so the file leaves it alone
    assert declared == {k: contract.get(k) for k in declared}
    assert set(contract) - set(declared) == {"tls_window_seconds"}


def test_the_contracts_cross_field_rules_hold() -> None:
    with pytest.raises(ValueError, match="dns options need a dns:// URL"):
        WebsiteDeclaration(name="n", url="https://a.example/", dns={"record_type": "MX"})
    with pytest.raises(ValueError, match="a dns check needs a dns:// URL"):
        WebsiteDeclaration(name="n", url="https://a.example/", check_kinds=["dns"])


def test_names_identify_so_they_are_unique() -> None:
    text = "websites:\n- {name: a, url: 'https://a.example/'}\n- {name: a, url: 'https://b.example/'}\n"
    with pytest.raises(InvalidFile, match="website names must be unique: a"):
        read_monitors(text)


def test_alert_rules_name_declared_channels_only() -> None:
    text = "websites:\n- {name: a, url: 'https://a.example/', alert_rules: {channels: [pager]}}\n"
    with pytest.raises(InvalidFile, match="names undeclared channels: pager"):
        read_monitors(text)


def test_a_secret_written_in_the_file_is_refused() -> None:
    text = "channels:\n- {name: s, kind: slack, target: 'https://hooks.slack.com/x'}\n"
    with pytest.raises(InvalidFile, match=r"channels\.0\.target: Extra inputs are not permitted"):
        read_monitors(text)


def test_the_text_is_stable_sorted_and_minimal() -> None:
    document = read_monitors(
        "websites:\n"
        "- {name: b, url: 'HTTPS://B.example', interval_seconds: 60}\n"
        "- {name: a, url: 'heartbeat://job', heartbeat: {schedule: '0 3 * * *'}}\n"
    )
    text = monitors_text(document)
    assert text == (
        "# yaml-language-server: $schema=monitors.schema.json\n"
        "version: 1\n"
        "channels: []\n"
        "websites:\n"
        "- name: a\n"
        "  url: heartbeat://job\n"
        "  heartbeat:\n"
        "    schedule: 0 3 * * *\n"
        "- name: b\n"
        "  url: https://b.example/\n"
        "  interval_seconds: 60\n"
    )
    assert monitors_text(read_monitors(text)) == text
    assert MonitorsFile() == read_monitors("")


def test_export_names_a_variable_per_channel() -> None:
    assert env_name_for("On-call Slack #1") == "PULSECHECK_CHANNEL_ON_CALL_SLACK_1"
