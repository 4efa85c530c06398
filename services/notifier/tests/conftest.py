"""Notifier test setup: the fake AWS credentials the SES stand-in (moto) checks signatures with,
and the stage of the tests that run the notifier process."""

from __future__ import annotations

from pulsecheck.testing.notifier_stage import slack_ca, stage, standins
from pulsecheck.testing.standins.ses import aws_test_credentials

__all__ = ["aws_test_credentials", "slack_ca", "stage", "standins"]
