"""A second, private Kafka broker and PostgreSQL server that a test may stop and start.

The shared broker and database serve every other test, so an outage test never touches them:
it starts its own pair through `scripts/infra` (the one script that starts them everywhere) in a
directory of its own and on free ports, and stops either one to see what the services do.
With `sasl=True` the broker asks for SASL/SCRAM and authorizes by the services' ACLs.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulsecheck.shared.kafka.security import KafkaSecurity
from pulsecheck.testing.ports import free_port

REPO_ROOT = Path(__file__).resolve().parents[5]
INFRA = REPO_ROOT / "scripts" / "infra"
# the first start formats Kafka's storage and runs initdb: about 10-20 s on this machine
START_TIMEOUT_SECONDS = 180


@dataclass(frozen=True)
class PrivateInfra:
    directory: Path
    kafka_port: int
    controller_port: int
    pg_port: int
    sasl: bool = False

    @property
    def kafka_bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def database_url(self) -> str:
        return f"postgresql://pulsecheck:pulsecheck@127.0.0.1:{self.pg_port}/pulsecheck"

    def kafka_security(self, user: str, password: str | None = None) -> KafkaSecurity:
        """How `user` connects to this (SASL) broker: its generated password, or `password`."""
        if password is None:
            password = (self.directory / "kafka" / "users" / user).read_text()
        return KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", user, password)

    def kafka_settings(self, user: str) -> dict[str, Any]:
        """The Kafka fields of a service's settings when it connects to this (SASL) broker as
        `user`, by their names in `CommonSettings`."""
        security = self.kafka_security(user)
        assert security.password is not None
        return {
            "kafka_bootstrap": self.kafka_bootstrap,
            "kafka_security_protocol": security.protocol,
            "kafka_sasl_mechanism": security.mechanism,
            "kafka_username": user,
            "kafka_password": security.password,
        }

    def kafka_env(self, user: str) -> dict[str, str]:
        """The same as `PULSECHECK_*` environment variables, for a service run as a process."""
        settings = self.kafka_settings(user)
        return {f"PULSECHECK_{name.upper()}": str(value) for name, value in settings.items()}

    def _run(self, *args: str) -> None:
        environment = {
            name: value
            for name, value in os.environ.items()
            # these make scripts/infra wait for an existing server instead of starting one
            if name not in ("PULSECHECK_KAFKA_BOOTSTRAP", "PULSECHECK_DATABASE_URL")
        }
        environment |= {
            "PULSECHECK_INFRA_DIR": str(self.directory),
            "KAFKA_PORT": str(self.kafka_port),
            "KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "PG_PORT": str(self.pg_port),
            "PULSECHECK_PG_FAST": "1",
            "PULSECHECK_KAFKA_SASL": "1" if self.sasl else "0",
        }
        completed = subprocess.run(
            [str(INFRA), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_SECONDS,
            check=False,
        )
        if completed.returncode != 0:
            raise AssertionError(
                f"scripts/infra {' '.join(args)} failed ({completed.returncode}): "
                f"{completed.stderr[-2000:]}"
            )

    def start_kafka(self) -> None:
        self._run("up", "kafka")

    def stop_kafka(self) -> None:
        self._run("down", "kafka")

    def start_postgres(self) -> None:
        self._run("up", "postgres")

    def stop_postgres(self) -> None:
        self._run("down", "postgres")


@contextmanager
def private_kafka(directory: Path, *, sasl: bool = False) -> Iterator[PrivateInfra]:
    """A broker of one test (or module) alone, up on entry, down on exit."""
    infra = PrivateInfra(directory, free_port(), free_port(), free_port(), sasl)
    infra.start_kafka()
    try:
        yield infra
    finally:
        infra.stop_kafka()


@contextmanager
def private_infra(directory: Path) -> Iterator[PrivateInfra]:
    """Kafka and PostgreSQL of one test (or module), both up on entry, both down on exit."""
    infra = PrivateInfra(directory, free_port(), free_port(), free_port())
    infra._run("up")
    try:
        yield infra
    finally:
        infra._run("down")
