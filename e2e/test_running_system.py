"""The e2e launcher and `scripts/run` stay in step: the same services, the same port variables."""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from e2e.running_system import PORT_VARIABLES, ROOT, RUN_SCRIPT, SERVICES, Isolation, system_env


class _Ready(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/readyz" else 404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def readyz_server() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ready)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_launcher_starts_the_services_scripts_run_starts() -> None:
    table = re.search(r"^SERVICES=\((.*?)^\)", RUN_SCRIPT.read_text(), re.S | re.M)
    assert table is not None
    assert re.findall(r'"(\S+) \d+ \S+"', table.group(1)) == list(SERVICES)
    assert set(PORT_VARIABLES) == set(SERVICES)


def test_scripts_run_looks_for_each_service_on_the_port_the_launcher_gives_it(
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        ports = {service: stack.enter_context(readyz_server()) for service in SERVICES}
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULSECHECK_")}
        env |= {PORT_VARIABLES[service]: str(port) for service, port in ports.items()}
        env["PULSECHECK_RUN_DIR"] = str(tmp_path)
        status = subprocess.run(
            [str(RUN_SCRIPT), "status"], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=60, check=True,
        )  # fmt: skip
    assert status.stdout.splitlines() == [f"{service}: ready" for service in SERVICES]


def test_the_e2e_env_isolates_the_run_and_keeps_to_loopback(tmp_path: Path) -> None:
    isolation = Isolation(
        kafka_bootstrap="127.0.0.1:19092",
        database_url="postgresql://pulsecheck:pulsecheck@127.0.0.1:15432/e2e",
        topic_prefix="e2etest.",
        run_dir=tmp_path,
        ports={service: 40000 + n for n, service in enumerate(SERVICES)},
    )
    env = system_env(isolation, tmp_path / "ca.pem", {"PULSECHECK_SES_FROM_ADDRESS": "a@b.test"})
    assert env["PULSECHECK_RUN_DIR"] == str(tmp_path)
    assert env["PULSECHECK_TOPIC_PREFIX"] == "e2etest."
    assert env["PULSECHECK_API_PORT"] == "40000"
    assert env["PULSECHECK_TARGET_ALLOW_LIST"] == "127.0.0.0/8"
    assert env["PULSECHECK_SES_FROM_ADDRESS"] == "a@b.test"
    addresses = [v for k, v in env.items() if k.endswith(("_URL", "_BOOTSTRAP"))]
    assert all("127.0.0.1" in address for address in addresses), addresses
