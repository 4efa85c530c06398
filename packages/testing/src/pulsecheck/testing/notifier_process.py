"""Runs the real `pulsecheck-notifier` as a child process, as it runs in production."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from pulsecheck.testing.ports import free_port
from pulsecheck.testing.waiting import wait_for


class NotifierProcess:
    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.env = {**os.environ, **env, "PULSECHECK_HEALTH_PORT": str(self.port)}
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_within: float = 60.0) -> NotifierProcess:
        with self.log_path.open("ab") as log:
            process = self.process = subprocess.Popen(
                [sys.executable, "-m", "pulsecheck.notifier.main", "worker"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for(
                lambda: self._healthy(process),
                within=ready_within,
                what="a healthy notifier",
                interval=0.2,
            )
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.log_path.read_text()[-3000:]}") from error
        return self

    def _healthy(self, process: subprocess.Popen[bytes]) -> bool:
        if process.poll() is not None:
            # not an AssertionError: waiting longer would not bring it back
            raise RuntimeError(f"notifier exited: {self.log_path.read_text()[-3000:]}")
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).is_success
        except httpx.HTTPError:
            return False

    def status(self, path: str) -> int:
        """The HTTP status the health port answers for `path` (0 when it does not answer)."""
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=6).status_code
        except httpx.HTTPError:
            return 0

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def metrics(self) -> str:
        return httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=2).text

    def counter(self, name: str) -> float:
        """The value of an unlabelled counter, 0 when not yet exported."""
        for line in self.metrics().splitlines():
            if line.startswith(name + " "):
                return float(line.split()[1])
        return 0.0

    def stop(self, sig: signal.Signals = signal.SIGTERM, within: float = 30.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(5)
