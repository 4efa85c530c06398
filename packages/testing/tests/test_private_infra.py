"""The private broker and database really stop and start, and the shared ones are untouched."""

from __future__ import annotations

import socket
from pathlib import Path

import psycopg
import pytest

from pulsecheck.testing.private_infra import private_infra

pytestmark = [pytest.mark.kafka, pytest.mark.postgres]


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_each_server_stops_and_starts_alone(tmp_path: Path, database_url: str) -> None:
    with private_infra(tmp_path / "infra") as infra:
        assert _answers(infra.kafka_port)
        with psycopg.connect(infra.database_url) as conn:
            assert conn.execute("select 1").fetchone() == (1,)

        infra.stop_kafka()
        assert not _answers(infra.kafka_port)
        assert _answers(infra.pg_port)
        infra.start_kafka()
        assert _answers(infra.kafka_port)

        infra.stop_postgres()
        assert not _answers(infra.pg_port)
        infra.start_postgres()
        with psycopg.connect(infra.database_url) as conn:
            assert conn.execute("select 1").fetchone() == (1,)
    assert not _answers(infra.kafka_port) and not _answers(infra.pg_port)
    # the shared database every other test uses kept running throughout
    with psycopg.connect(database_url) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
