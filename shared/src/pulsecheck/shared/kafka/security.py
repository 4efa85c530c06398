"""How a client proves who it is to the broker: one value every client factory applies.

`PLAINTEXT` (the default) is the dev/test broker; production runs SASL/SCRAM, over TLS when
the network between services and brokers is not private.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

SecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]


@dataclass(frozen=True)
class KafkaSecurity:
    protocol: SecurityProtocol = "PLAINTEXT"
    mechanism: SaslMechanism = "SCRAM-SHA-512"
    username: str | None = None
    # repr=False: a logged settings object must not carry the password
    password: str | None = field(default=None, repr=False)
    # PEM bundle of the brokers' CA (SASL_SSL); None trusts the system store
    ca_file: Path | None = None

    def __post_init__(self) -> None:
        if self.sasl and not (self.username and self.password):
            raise ValueError(f"{self.protocol} needs a Kafka username and password")

    @property
    def sasl(self) -> bool:
        return self.protocol != "PLAINTEXT"

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.protocol != "SASL_SSL":
            return None
        return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of AIOKafkaProducer, AIOKafkaConsumer and AIOKafkaAdminClient."""
        if not self.sasl:
            return {"security_protocol": "PLAINTEXT"}
        return {
            "security_protocol": self.protocol,
            "sasl_mechanism": self.mechanism,
            "sasl_plain_username": self.username,
            "sasl_plain_password": self.password,
            "ssl_context": self.ssl_context(),
        }


PLAINTEXT: Final = KafkaSecurity()
