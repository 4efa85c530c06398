"""The whole PulseCheck system started as the README says (`scripts/run`), isolated for a test:
its own topic prefix, database, ports and pid/log directory. Every variable the services get
is set in `system_env`, the one place to change when a setting's name changes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN_SCRIPT = ROOT / "scripts" / "run"
SERVICES = ("query-api", "projector", "scheduler", "prober", "notifier")
# the variables `scripts/run` reads each service's port from (see its header)
PORT_VARIABLES = {
    "query-api": "PULSECHECK_API_PORT",
    "projector": "PULSECHECK_PROJECTOR_PORT",
    "scheduler": "PULSECHECK_SCHEDULER_PORT",
    "prober": "PULSECHECK_PROBER_PORT",
    "notifier": "PULSECHECK_NOTIFIER_PORT",
}
LOOPBACK = "127.0.0.0/8"


@dataclass(frozen=True)
class Isolation:
    """What keeps one e2e system apart from a developer's running one and from other tests."""

    kafka_bootstrap: str
    database_url: str
    topic_prefix: str
    run_dir: Path
    ports: dict[str, int]


def system_env(
    isolation: Isolation, test_ca_file: Path, channel_env: dict[str, str]
) -> dict[str, str]:
    """Every PulseCheck variable the e2e system runs with (nothing else named PULSECHECK_*)."""
    ports = {PORT_VARIABLES[name]: str(port) for name, port in isolation.ports.items()}
    return {
        **ports,
        "PULSECHECK_RUN_DIR": str(isolation.run_dir),
        "PULSECHECK_LOG_DIR": str(isolation.run_dir / "logs"),
        # notifier: faust's local table state, apart from any other notifier on this machine
        "PULSECHECK_DATA_DIR": str(isolation.run_dir / "notifier-data"),
        "PULSECHECK_KAFKA_BOOTSTRAP": isolation.kafka_bootstrap,
        "PULSECHECK_DATABASE_URL": isolation.database_url,
        "PULSECHECK_TOPIC_PREFIX": isolation.topic_prefix,
        "PULSECHECK_PARTITIONS": "3",
        "PULSECHECK_LOG_LEVEL": "INFO",
        "PULSECHECK_HEALTH_HOST": "127.0.0.1",
        # query-api and scheduler: the test registers sites checked every 2 s
        "PULSECHECK_MIN_INTERVAL_SECONDS": "1",
        # prober and query-api (ad-hoc checks): the target sites live on loopback, under the
        # test CA
        "PULSECHECK_TARGET_ALLOW_LIST": LOOPBACK,
        "PULSECHECK_EXTRA_CA_FILE": str(test_ca_file),
        # notifier: the webhook and Slack stand-ins live on loopback; Slack speaks HTTPS with a
        # certificate of the test CA, which slack-sdk (urllib) trusts through SSL_CERT_FILE
        "SSL_CERT_FILE": str(test_ca_file),
        "PULSECHECK_RETRY_ATTEMPTS": "3",
        "PULSECHECK_RETRY_BASE_DELAY_SECONDS": "0.1",
        "PULSECHECK_ATTEMPT_TIMEOUT_SECONDS": "5",
        # pulsecheck-admin: the sign-in link it prints opens this system's web app
        "PULSECHECK_PUBLIC_BASE_URL": f"http://127.0.0.1:{isolation.ports['query-api']}",
        # projector: short batches so results show up quickly
        "PULSECHECK_PROJECTOR_BATCH_WAIT_MS": "50",
        **channel_env,
    }


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies count as gone)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


class RunningSystem:
    def __init__(self, env: dict[str, str], isolation: Isolation) -> None:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("PULSECHECK_")}
        self.env = {**inherited, **env}
        self.isolation = isolation
        self.log_dir = isolation.run_dir / "logs"
        # time.monotonic() when the first `scripts/run` began: the system's age
        self.first_started: float | None = None

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.isolation.ports[service]}"

    def run_script(self, *args: str, within: float = 240.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(RUN_SCRIPT), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=within,
            check=False,
        )

    def up(self) -> float:
        """`scripts/run` (idempotent: starts what is down); seconds until all are healthy."""
        started = time.monotonic()
        if self.first_started is None:
            self.first_started = started
        done = self.run_script()
        if done.returncode != 0:
            raise RuntimeError(
                f"scripts/run failed ({done.returncode}):\n{done.stderr[-4000:]}\n"
                + self.log_tails()
            )
        return time.monotonic() - started

    def stop(self) -> None:
        self.run_script("stop", within=90)
        for service in SERVICES:
            pgid = self.pid(service)
            if pgid is not None and _group_alive(pgid):
                os.killpg(pgid, signal.SIGKILL)

    def pid(self, service: str) -> int | None:
        pid_file = self.isolation.run_dir / f"{service}.pid"
        return int(pid_file.read_text()) if pid_file.exists() else None

    def kill(self, service: str, within: float = 15.0) -> int:
        """kill -9 the service's whole process group; returns once every process is gone."""
        pgid = self.pid(service)
        assert pgid is not None and _group_alive(pgid), f"{service} is not running"
        os.killpg(pgid, signal.SIGKILL)
        deadline = time.monotonic() + within
        while _group_alive(pgid):
            assert time.monotonic() < deadline, f"{service} survived kill -9"
            time.sleep(0.05)
        return pgid

    def log(self, service: str) -> str:
        path = self.log_dir / f"{service}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tails(self, lines: int = 25) -> str:
        return "\n".join(
            f"--- {service}.log\n" + "\n".join(self.log(service).splitlines()[-lines:])
            for service in SERVICES
        )
