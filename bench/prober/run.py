"""Prober benchmark: prints figures (not a test).

    uv run python -m bench.prober.run [--checks 10000] [--skip-kafka]

Targets (nginx, HTTP and HTTPS with an ECDSA P-256 certificate) run pinned to core 0; each
measured prober process is pinned to core 1 (`taskset -c 1`). Every check opens a fresh
connection (and, for HTTPS, does a full handshake), as a monitor must. End-to-end runs need
Kafka (`scripts/infra up`; PULSECHECK_KAFKA_BOOTSTRAP, default 127.0.0.1:19092).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.prober.targets import HTTP_PORT, HTTPS_PORT, HTTPS_TICKETS_PORT, start_fleet

# the measured runs are scripts of their own, each in a fresh (pinned) process
HERE = Path(__file__).parent

URLS = {
    "http": f"http://127.0.0.1:{HTTP_PORT}/",
    "https": f"https://127.0.0.1:{HTTPS_PORT}/",
    # tickets on: every check after the first resumes its session
    "https-resume": f"https://127.0.0.1:{HTTPS_TICKETS_PORT}/",
}


def run_json(command: list[str]) -> dict[str, object]:
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    figures: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--skip-kafka", action="store_true")
    args = parser.parse_args()
    fleet = start_fleet(core="0")
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as ca_file:
            ca_file.write(fleet.ca_pem)
            ca_file.flush()
            print(
                f"targets: {fleet.kind} on core 0; prober pinned to core 1; "
                f"{args.checks} checks per run"
            )
            print("\nin-process (run_check, fresh connection per check)")
            print(
                f"{'scheme':12} {'loop':7} {'conc':>5} {'checks/s':>9} {'cpu s/1k':>9} "
                f"{'added p50':>10} {'added p99':>10} {'rss MB':>7}  outcomes"
            )
            for scheme in URLS:
                for loop in ("asyncio", "uvloop"):
                    for concurrency in (100, 1000):
                        f = run_json(
                            [
                                "taskset",
                                "-c",
                                "1",
                                sys.executable,
                                str(HERE / "inprocess.py"),
                                "--url",
                                URLS[scheme],
                                "--ca-file",
                                ca_file.name,
                                "--checks",
                                str(args.checks),
                                "--concurrency",
                                str(concurrency),
                                "--loop",
                                loop,
                            ]
                        )
                        print(
                            f"{scheme:12} {loop:7} {concurrency:>5} {f['checks_per_s']:>9} "
                            f"{f['cpu_s_per_1000']:>9} {f['added_p50_ms']:>8}ms "
                            f"{f['added_p99_ms']:>8}ms "
                            f"{f['peak_rss_mb']:>7}  {f['outcomes']}"
                        )
            if args.skip_kafka:
                return
            print("\nend-to-end through Kafka (pulsecheck-prober process, uvloop)")
            print(
                f"{'scheme':12} {'conc':>5} {'checks/s':>9} {'cpu s/1k':>9} "
                f"{'p50':>9} {'p99':>9} {'rss MB':>7}  outcomes"
            )
            for scheme in URLS:
                for concurrency in (100, 1000):
                    f = run_json(
                        [
                            sys.executable,
                            str(HERE / "end_to_end.py"),
                            "--url",
                            URLS[scheme],
                            "--ca-file",
                            ca_file.name,
                            "--checks",
                            str(args.checks * 2),
                            "--concurrency",
                            str(concurrency),
                        ]
                    )
                    print(
                        f"{scheme:12} {concurrency:>5} {f['checks_per_s_steady']:>9} "
                        f"{f['cpu_s_per_1000']:>9} {f['check_latency_p50_ms']:>7}ms "
                        f"{f['check_latency_p99_ms']:>7}ms {f['peak_rss_mb']:>7}  {f['outcomes']}"
                    )
    finally:
        fleet.stop()


if __name__ == "__main__":
    main()
