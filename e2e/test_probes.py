"""Every probe path the manifests name answers 200 from a running process, and every readiness
probe turns 503 when its broker (or database) stops and 200 again when it is back.

The services run as processes against a PRIVATE Kafka and PostgreSQL pair (never the shared
ones, which other tests use), so the test may stop and start them. Nobody may exit meanwhile.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulsecheck.testing.ports import free_port
from pulsecheck.testing.private_infra import PrivateInfra, private_infra
from pulsecheck.testing.sealing_keys import RunKeys, run_keys
from pulsecheck.testing.waiting import wait_for

ROOT = Path(__file__).resolve().parents[1]
SERVICES = {
    "query-api": "pulsecheck.query_api.main",
    "projector": "pulsecheck.projector.main",
    "scheduler": "pulsecheck.scheduler.main",
    "prober": "pulsecheck.prober.main",
    "notifier": "pulsecheck.notifier.main",
}
USING_POSTGRES = ("query-api", "projector")
OUTAGE_SECONDS = 90.0
RECOVERY_SECONDS = 180.0


def k8s_probe_paths() -> dict[str, set[str]]:
    paths: dict[str, set[str]] = {}
    for manifest in (ROOT / "deploy" / "k8s" / "base").rglob("*.yaml"):
        for document in yaml.safe_load_all(manifest.read_text()):
            if not document or document.get("kind") != "Deployment":
                continue
            service = document["metadata"]["labels"]["app.kubernetes.io/name"]
            for container in document["spec"]["template"]["spec"]["containers"]:
                for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
                    if kind in container:
                        paths.setdefault(service, set()).add(container[kind]["httpGet"]["path"])
    return paths


def compose_probe_paths() -> dict[str, set[str]]:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    paths: dict[str, set[str]] = {}
    for name, service in compose["services"].items():
        test = " ".join(service.get("healthcheck", {}).get("test", []))
        if found := re.findall(r"http://127\.0\.0\.1:\d+(/\w+)", test):
            paths.setdefault(name, set()).update(found)
    return paths


def test_the_manifests_probe_liveness_and_readiness_of_every_service() -> None:
    k8s, compose = k8s_probe_paths(), compose_probe_paths()
    for service in SERVICES:
        assert k8s[service] == {"/healthz", "/readyz"}, service
        assert compose[service] == {"/readyz"}, service


def status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=8) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening


@dataclass
class Service:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def answers(self, path: str) -> int:
        assert self.process.poll() is None, f"{self.name} exited:\n{self.log.read_text()[-3000:]}"
        return status(self.port, path)


def environment(infra: PrivateInfra, keys: RunKeys) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PULSECHECK_")}
    return inherited | {
        "PULSECHECK_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "PULSECHECK_DATABASE_URL": infra.database_url,
        "PULSECHECK_PARTITIONS": "3",
        "PULSECHECK_HEALTH_HOST": "127.0.0.1",
        # as scripts/run hands them out: public halves to all, each private half to its opener
        "PULSECHECK_SEALING_PUBLIC_KEYS": keys.channel_public,
        "PULSECHECK_HEADER_SEALING_PUBLIC_KEYS": keys.header_public,
    }


def private_keys(service: str, keys: RunKeys) -> dict[str, str]:
    return {
        "notifier": {"PULSECHECK_SEALING_PRIVATE_KEYS": keys.channel_private},
        "prober": {"PULSECHECK_HEADER_SEALING_PRIVATE_KEYS": keys.header_private},
    }.get(service, {})


@pytest.fixture(scope="module")
def infra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateInfra]:
    with private_infra(tmp_path_factory.mktemp("infra")) as pair:
        yield pair


@pytest.fixture(scope="module")
def services(
    infra: PrivateInfra, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Service]]:
    directory = tmp_path_factory.mktemp("logs")
    # the notifier's faust keeps its tables' local state here, apart from any other notifier's
    keys = run_keys()
    env = environment(infra, keys) | {"PULSECHECK_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    for one_shot, args in (
        ("pulsecheck.shared.kafka.topics_cli", []),
        ("pulsecheck.admin.main", ["migrate"]),
    ):
        subprocess.run(
            [sys.executable, "-c", f"from {one_shot} import main; main()", *args],
            env=env, check=True, timeout=120, capture_output=True,
        )  # fmt: skip
    started: dict[str, Service] = {}
    try:
        for name, module in SERVICES.items():
            port = free_port()
            variable = "PULSECHECK_API_PORT" if name == "query-api" else "PULSECHECK_HEALTH_PORT"
            log = directory / f"{name}.log"
            with log.open("wb") as output:  # the child keeps its own descriptor
                process = subprocess.Popen(
                    [sys.executable, "-c", f"from {module} import main; main()"],
                    env=env | private_keys(name, keys) | {variable: str(port)},
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            started[name] = Service(name, port, process, log)
        yield started
    finally:
        for service in started.values():
            service.process.terminate()
        for service in started.values():
            service.process.wait(timeout=60)


def wait_all(services: list[Service], path: str, code: int, within: float) -> None:
    def answered() -> bool:
        answers = {s.name: s.answers(path) for s in services}
        assert set(answers.values()) == {code}, f"{path}: {answers}"
        return True

    wait_for(answered, within=within, what=f"every {path} to answer {code}", interval=1.0)


def test_every_probe_path_answers_200_from_a_running_process(services: dict[str, Service]) -> None:
    named = k8s_probe_paths()
    for name in SERVICES:
        for path in sorted(named[name]):
            wait_all([services[name]], path, 200, within=RECOVERY_SECONDS)


def test_readiness_follows_the_broker_and_the_database(
    infra: PrivateInfra, services: dict[str, Service]
) -> None:
    everyone = list(services.values())
    wait_all(everyone, "/readyz", 200, within=RECOVERY_SECONDS)

    infra.stop_kafka()
    wait_all(everyone, "/readyz", 503, within=OUTAGE_SECONDS)
    # an outage is not a stall: liveness stays true, so nothing would be restarted for it
    wait_all(everyone, "/healthz", 200, within=10)
    infra.start_kafka()
    wait_all(everyone, "/readyz", 200, within=RECOVERY_SECONDS)

    database_users = [services[name] for name in USING_POSTGRES]
    infra.stop_postgres()
    wait_all(database_users, "/readyz", 503, within=OUTAGE_SECONDS)
    others = [service for name, service in services.items() if name not in USING_POSTGRES]
    wait_all(others, "/readyz", 200, within=10)
    infra.start_postgres()
    wait_all(database_users, "/readyz", 200, within=RECOVERY_SECONDS)
    wait_all(everyone, "/healthz", 200, within=10)
