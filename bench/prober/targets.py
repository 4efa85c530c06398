"""The benchmark's target fleet: nginx on loopback (HTTP and HTTPS with an ECDSA certificate).

Falls back to a small Python server when nginx is not installed
(`apt-get install -y nginx` on Debian).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import trustme

from pulsecheck.testing.waiting import wait_for

HTTP_PORT = 18080
HTTPS_PORT = 18443
# the same site with session tickets on: what an uptime check resumes against
HTTPS_TICKETS_PORT = 18444

NGINX_CONF = """
daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 8192; multi_accept on; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    keepalive_timeout 0;
    server {{
        listen 127.0.0.1:{http} backlog=8192;
        listen 127.0.0.1:{https} ssl backlog=8192;
        ssl_certificate {work}/cert.pem;
        ssl_certificate_key {work}/key.pem;
        ssl_session_cache off;
        ssl_session_tickets off;
        location / {{ return 200 "all systems operational\\n"; }}
    }}
    server {{
        listen 127.0.0.1:{https_tickets} ssl backlog=8192;
        ssl_certificate {work}/cert.pem;
        ssl_certificate_key {work}/key.pem;
        ssl_session_cache off;
        ssl_session_tickets on;
        ssl_session_timeout 10m;
        location / {{ return 200 "all systems operational\\n"; }}
    }}
}}
"""


@dataclass
class Fleet:
    process: subprocess.Popen[bytes]
    kind: str
    ca_pem: str
    workdir: tempfile.TemporaryDirectory[str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.workdir.cleanup()


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _wait_listening(port: int) -> None:
    wait_for(lambda: _listening(port), within=10, what=f"a target on port {port}", interval=0.05)


def start_fleet(core: str = "0") -> Fleet:
    """Start the targets pinned to `core` (the prober gets another core)."""
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "bench.test")  # ECDSA P-256 by default
    workdir = tempfile.TemporaryDirectory(prefix="pulsecheck-bench-")
    work = Path(workdir.name)
    (work / "cert.pem").write_bytes(b"".join(b.bytes() for b in leaf.cert_chain_pems))
    (work / "key.pem").write_bytes(leaf.private_key_pem.bytes())
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx:
        conf = work / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                work=work, http=HTTP_PORT, https=HTTPS_PORT, https_tickets=HTTPS_TICKETS_PORT
            )
        )
        command = ["taskset", "-c", core, nginx, "-c", str(conf), "-p", str(work)]
        kind = "nginx"
    else:
        command = [
            "taskset",
            "-c",
            core,
            sys.executable,
            str(Path(__file__).with_name("python_target.py")),
            str(work),
        ]
        kind = "python"
    process = subprocess.Popen(command)
    _wait_listening(HTTP_PORT)
    _wait_listening(HTTPS_PORT)
    if kind == "nginx":
        _wait_listening(HTTPS_TICKETS_PORT)
    return Fleet(process, kind, ca.cert_pem.bytes().decode(), workdir)
