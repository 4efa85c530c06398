"""Channel test setup: the fake AWS credentials the SES stand-in (moto) checks signatures with."""

from __future__ import annotations

from pulsecheck.testing.standins.ses import aws_test_credentials

__all__ = ["aws_test_credentials"]
