"""The notifier process both notifier benchmarks start: the bench's topics on 3 partitions,
quiet logs, and SMS through the Twilio stand-in."""

from __future__ import annotations

from pulsecheck.shared.topics import Topics


def notifier_env(bootstrap: str, topics: Topics, twilio_url: str) -> dict[str, str]:
    return {
        "PULSECHECK_KAFKA_BOOTSTRAP": bootstrap,
        "PULSECHECK_TOPIC_PREFIX": topics.prefix,
        "PULSECHECK_PARTITIONS": "3",
        "PULSECHECK_LOG_LEVEL": "WARNING",
        "PULSECHECK_TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "PULSECHECK_TWILIO_AUTH_TOKEN": "token",
        "PULSECHECK_TWILIO_FROM_NUMBER": "+15550001111",
        "PULSECHECK_TWILIO_BASE_URL": twilio_url,
        "PULSECHECK_SES_FROM_ADDRESS": "bench@example.test",
    }
