"""Prober settings from the environment."""

from __future__ import annotations

import ipaddress

import pytest

from pulsecheck.prober.settings import ProberSettings


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ProberSettings().prober_concurrency == 1000
    monkeypatch.setenv("PULSECHECK_REGION", "eu-west")
    monkeypatch.setenv("PULSECHECK_TOPIC_PREFIX", "staging.")
    monkeypatch.setenv("PULSECHECK_TARGET_ALLOW_LIST", "10.0.0.0/8, status.internal")
    settings = ProberSettings()
    assert settings.consumer_group() == "staging.pulsecheck-prober-eu-west"
    allow = settings.allow_list()
    assert allow.allows_address(ipaddress.ip_address("10.2.3.4"))
    assert allow.allows_host("status.internal")
    assert not allow.allows_address(ipaddress.ip_address("127.0.0.1"))
