"""SES's settings (PULSECHECK_SES_*, PULSECHECK_AWS_REGION) and the boto3 client built from them."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from pydantic_settings import BaseSettings, SettingsConfigDict


class SesSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PULSECHECK_", extra="ignore")

    ses_from_address: str = ""
    aws_region: str = "us-east-1"
    # None in production: the SDK resolves the real SES endpoint of `aws_region`
    ses_endpoint_url: str | None = None


def ses_client(settings: SesSettings, timeout_seconds: float) -> Any:
    # credentials come from the environment (or the instance role), as boto3 always does;
    # retries are the notifier's own, so the SDK makes one attempt
    config = Config(
        connect_timeout=timeout_seconds,
        read_timeout=timeout_seconds,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client(
        "sesv2",
        region_name=settings.aws_region,
        endpoint_url=settings.ses_endpoint_url,
        config=config,
    )
