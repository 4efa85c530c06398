"""The notifier's settings, from PULSECHECK_* environment variables (built in `main`)."""

from __future__ import annotations

from pydantic import Field

from pulsecheck.notifier.channels.email import SesSettings
from pulsecheck.notifier.channels.sms import TwilioSettings
from pulsecheck.notifier.delivery import RetryPolicy
from pulsecheck.shared.settings import CommonSettings


class NotifierSettings(CommonSettings):
    app_id: str = "pulsecheck-notifier"
    source: str = "pulsecheck-notifier"
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=6066, ge=1, le=65535)
    # the dashboard's base URL; messages link to {dashboard_url}/monitors/{id}
    dashboard_url: str = "http://localhost:8000"
    # how often the timer looks for due reminders and held notices to release
    tick_interval_seconds: float = Field(default=30.0, gt=0)
    # how long a result waits for a lagging configuration reader before it is judged anyway
    configuration_patience_seconds: float = Field(default=10.0, gt=0)
    delivery_concurrency: int = Field(default=32, ge=1, le=1000)
    retry_attempts: int = Field(default=4, ge=1, le=20)
    retry_base_delay_seconds: float = Field(default=0.5, ge=0)
    retry_max_delay_seconds: float = Field(default=8.0, ge=0)
    attempt_timeout_seconds: float = Field(default=10.0, gt=0)
    # networks webhook and Slack targets may resolve to despite being non-public (tests: loopback)
    allowed_target_networks: list[str] = Field(default_factory=list)
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from_number: str = ""
    # unset in production (api.twilio.com); a stand-in's URL in tests
    twilio_base_url: str | None = None
    ses_sender: str = ""
    ses_region: str = "us-east-1"
    ses_endpoint_url: str | None = None

    def faust_app_id(self) -> str:
        return f"{self.topic_prefix}{self.app_id}"

    def twilio(self) -> TwilioSettings:
        return TwilioSettings(
            account_sid=self.twilio_account_sid,
            auth_token=self.twilio_auth_token,
            from_number=self.twilio_from_number,
            base_url=self.twilio_base_url,
            timeout_seconds=self.attempt_timeout_seconds,
        )

    def ses(self) -> SesSettings:
        return SesSettings(
            sender=self.ses_sender,
            region=self.ses_region,
            endpoint_url=self.ses_endpoint_url,
            timeout_seconds=self.attempt_timeout_seconds,
        )

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.retry_attempts,
            base_delay_seconds=self.retry_base_delay_seconds,
            max_delay_seconds=self.retry_max_delay_seconds,
            attempt_timeout_seconds=self.attempt_timeout_seconds,
        )
