"""deploy/kafka/start-sasl-broker, Compose's Kafka command, run here as Compose runs it: the kafka
service's environment from docker-compose.yml (fresh passwords, this machine's ports and paths),
with a Kafka distribution made of the Maven jars `scripts/infra` runs in place of the image's."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiokafka.conn import create_conn
from aiokafka.errors import KafkaConnectionError, SaslAuthenticationFailed

from pulsecheck.shared.kafka.acls import ADMIN_USER, SERVICE_USERS, service_acls
from pulsecheck.shared.kafka.acls_cli import apply_acls
from pulsecheck.shared.kafka.admin import ensure_topics
from pulsecheck.shared.kafka.security import KafkaSecurity
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.ports import free_port
from pulsecheck.testing.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "kafka" / "start-sasl-broker"
JARS = ROOT / ".local" / "kafka" / "libs"
LOG4J = ROOT / "scripts" / "kafka-log4j2.xml"
# the image's scripts these stand in for run the same classes (bin/kafka-run-class.sh)
KAFKA_COMMANDS = {
    "kafka-storage.sh": "kafka.tools.StorageTool",
    "kafka-server-start.sh": "kafka.Kafka",
    "kafka-broker-api-versions.sh": "org.apache.kafka.tools.BrokerApiVersionsCommand",
}


def kafka_home(directory: Path) -> Path:
    """bin/ of the image's distribution, each script running its class from the Maven jars."""
    for name, main_class in KAFKA_COMMANDS.items():
        script = directory / "bin" / name
        script.parent.mkdir(parents=True, exist_ok=True)
        script.write_text(
            "#!/usr/bin/env bash\n"
            f'exec java -Xmx512m -XX:+UseSerialGC -Dlog4j2.configurationFile="{LOG4J}" '
            f'-cp "{JARS}/*" {main_class} "$@"\n'
        )
        script.chmod(0o755)
    return directory


def compose_kafka() -> dict[str, Any]:
    service: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][
        "kafka"
    ]
    return service


def password_variable(user: str) -> str:
    return "SCRAM_PASSWORD_" + user.upper().replace("-", "_")


@dataclass
class ComposeBroker:
    port: int
    config_dir: Path
    passwords: dict[str, str]
    home: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def security(self, user: str) -> KafkaSecurity:
        return KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", user, self.passwords[user])


def script_env(tmp_path: Path, passwords: dict[str, str], **layout: str) -> dict[str, str]:
    """The kafka service's environment (its passwords fresh), laid out on this machine."""
    compose = compose_kafka()["environment"]
    return {
        "PATH": os.environ["PATH"],
        "CLUSTER_ID": compose["CLUSTER_ID"],
        "SCRAM_USERS": compose["SCRAM_USERS"],
        **{password_variable(user): password for user, password in passwords.items()},
        "BROKER_HOST": "127.0.0.1",
        "LISTEN_HOST": "127.0.0.1",
        "KAFKA_HOME": str(kafka_home(tmp_path / "kafka-home")),
        "KAFKA_DATA_DIR": str(tmp_path / "data"),
        "KAFKA_CONFIG_DIR": str(tmp_path / "config"),
        **layout,
    }


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComposeBroker]:
    tmp_path = tmp_path_factory.mktemp("compose-kafka")
    users = compose_kafka()["environment"]["SCRAM_USERS"].split()
    passwords = {user: secrets.token_urlsafe(16) for user in users}
    port, host_port, controller_port = free_port(), free_port(), free_port()
    env = script_env(
        tmp_path,
        passwords,
        BROKER_PORT=str(port),
        HOST_PORT=str(host_port),
        CONTROLLER_PORT=str(controller_port),
    )
    log_path = tmp_path / "kafka.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(["bash", str(SCRIPT)], env=env, stdout=log, stderr=log)
    running = ComposeBroker(port, tmp_path / "config", passwords, Path(env["KAFKA_HOME"]))
    try:
        asyncio.run(until_admin_gets_in(running, process, log_path))
        yield running
    finally:
        process.terminate()
        process.wait(30)


def last_lines(log: Path) -> str:
    return log.read_text()[-3000:]


async def until_admin_gets_in(
    broker: ComposeBroker, process: subprocess.Popen[bytes], log: Path
) -> None:
    async def admitted() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the broker exited: {last_lines(log)}")
        kwargs = broker.security(ADMIN_USER).client_kwargs()
        try:
            connection = await create_conn("127.0.0.1", broker.port, **kwargs)
        except (KafkaConnectionError, OSError):
            return False
        connection.close()
        return True

    # the first start formats the storage, then starts the broker: two JVMs, ~15 s here
    await wait_until(admitted, within=90, what="the broker admitting its super user", interval=0.3)


def test_compose_makes_every_user_of_the_acls_with_its_own_password() -> None:
    environment = compose_kafka()["environment"]
    users = environment["SCRAM_USERS"].split()
    # `pulsecheck-kafka-acls users`: the super user first
    assert users == [ADMIN_USER, *SERVICE_USERS.values()]
    passwords = {name for name in environment if name.startswith("SCRAM_PASSWORD_")}
    assert passwords == {password_variable(user) for user in users}
    assert len({environment[name] for name in passwords}) == len(users)


# each PulseCheck container's Kafka user: its own (the ACLs' principal), none shared
KAFKA_USERS = {
    "kafka-acls": ADMIN_USER,
    "init": SERVICE_USERS["topics"],
    "query-api": SERVICE_USERS["query-api"],
    "projector": SERVICE_USERS["projector"],
    "scheduler": SERVICE_USERS["scheduler"],
    "prober": SERVICE_USERS["prober"],
    "notifier": SERVICE_USERS["notifier"],
}


def test_each_service_logs_in_as_its_own_user_with_the_password_the_broker_has() -> None:
    # anchors resolved, variables not: the same `${VAR:-default}` text is the same password
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    broker = services["kafka"]["environment"]
    assert set(KAFKA_USERS) == set(services) - {"kafka", "postgres"}
    for name, user in KAFKA_USERS.items():
        environment = services[name]["environment"]
        assert environment["PULSECHECK_KAFKA_USERNAME"] == user, name
        assert environment["PULSECHECK_KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT", name
        assert environment["PULSECHECK_KAFKA_PASSWORD"] == broker[password_variable(user)], name


def test_the_broker_runs_this_script() -> None:
    kafka = compose_kafka()
    interpreter, script = kafka["command"]
    mounts = dict(volume.removesuffix(":ro").split(":") for volume in kafka["volumes"])
    (source,) = [source for source, target in mounts.items() if script.startswith(target + "/")]
    assert interpreter == "bash"
    assert ROOT / source / script.removeprefix(mounts[source] + "/") == SCRIPT


@pytest.mark.kafka
async def test_the_storage_holds_every_user_with_its_password(broker: ComposeBroker) -> None:
    for user in broker.passwords:
        kwargs = broker.security(user).client_kwargs()
        (await create_conn("127.0.0.1", broker.port, **kwargs)).close()
    wrong = KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", ADMIN_USER, "not-the-password")
    with pytest.raises(SaslAuthenticationFailed):
        await create_conn("127.0.0.1", broker.port, **wrong.client_kwargs())


@pytest.mark.kafka
def test_the_healthcheck_passes_as_compose_runs_it(broker: ComposeBroker) -> None:
    command = compose_kafka()["healthcheck"]["test"][1]
    here = (
        command.replace("/opt/kafka", str(broker.home))
        .replace("/tmp/pulsecheck-kafka", str(broker.config_dir))
        .replace("localhost:9092", broker.bootstrap)
    )
    assert subprocess.run(["bash", "-c", here], timeout=60, check=False).returncode == 0


@pytest.mark.kafka
async def test_the_acl_init_lets_the_topics_init_make_the_topics(broker: ComposeBroker) -> None:
    # Compose's kafka-acls and init services, in process: the super user applies the ACLs, then
    # pulsecheck-topics (refused before that) creates every topic
    topics = Topics()
    topics_user = broker.security(SERVICE_USERS["topics"])
    with pytest.raises(RuntimeError, match="Authorization failed"):
        await ensure_topics(broker.bootstrap, topics.specs()[:1], 1, security=topics_user)
    await apply_acls(broker.bootstrap, broker.security(ADMIN_USER), service_acls(topics))
    made = await ensure_topics(broker.bootstrap, topics.specs(), 1, security=topics_user)
    assert {report.name for report in made} == {spec.name for spec in topics.specs()}


def test_a_storage_formatted_without_the_users_is_refused(tmp_path: Path) -> None:
    # a volume of the plaintext Compose: formatted, but with no SCRAM user in it
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "meta.properties").write_text("version=1\n")
    users = compose_kafka()["environment"]["SCRAM_USERS"].split()
    env = script_env(tmp_path, {user: "pw" for user in users})
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 1
    assert "formatted without SCRAM users" in done.stderr


def test_a_password_that_could_break_out_of_its_quotes_is_refused(tmp_path: Path) -> None:
    users = compose_kafka()["environment"]["SCRAM_USERS"].split()
    passwords = {user: "pw" for user in users} | {ADMIN_USER: 'pw" user_x="y'}
    env = script_env(tmp_path, passwords)
    done = subprocess.run(
        ["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 1
    assert "letters, digits and -_.~" in done.stderr
    assert not (tmp_path / "data" / "meta.properties").exists()
