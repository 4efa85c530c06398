"""faust's form of the Kafka security every PulseCheck client shares."""

from __future__ import annotations

import faust

from pulsecheck.shared.kafka.security import KafkaSecurity


def faust_credentials(security: KafkaSecurity) -> faust.SASLCredentials | None:
    # None: faust's own PLAINTEXT default
    if not security.sasl:
        return None
    # an SSL context makes faust speak SASL_SSL instead of SASL_PLAINTEXT
    return faust.SASLCredentials(
        username=security.username,
        password=security.password,
        mechanism=security.mechanism,
        ssl_context=security.ssl_context(),
    )
