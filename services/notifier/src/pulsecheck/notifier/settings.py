"""The notifier's settings, from PULSECHECK_* environment variables (built in `main`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import Field, SecretStr

from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.notifier.delivery import RetryPolicy
from pulsecheck.shared.sealing_settings import ChannelOpeningSettings
from pulsecheck.shared.settings import HealthPort, HealthSettings, MonitorPolicySettings


class NotifierSettings(HealthSettings, MonitorPolicySettings, ChannelOpeningSettings):
    source: str = "pulsecheck-notifier"
    health_port: HealthPort = 8083
    # where faust keeps its local files (table state is in Kafka changelogs; this is a cache)
    data_dir: Path = Path(tempfile.gettempdir()) / "pulsecheck-notifier"
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
    # keys the hash that stands for a recipient in delivery keys, topics and logs; set it
    # (e.g. `openssl rand -hex 32`) and keep it: a new key re-keys in-flight deliveries
    recipient_hash_key: SecretStr = SecretStr("")

    def faust_app_id(self) -> str:
        # named in `Topics`, which derives faust's internal topic names from it
        return self.topics().notifier_app_id

    def recipient_digest(self) -> RecipientDigest:
        return RecipientDigest(self.recipient_hash_key.get_secret_value().encode())

    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.retry_attempts,
            base_delay_seconds=self.retry_base_delay_seconds,
            max_delay_seconds=self.retry_max_delay_seconds,
            attempt_timeout_seconds=self.attempt_timeout_seconds,
        )
