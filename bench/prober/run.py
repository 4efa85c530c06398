"""Prober benchmark: prints figures (not a test).

    uv run python -m bench.prober.run [--checks 10000] [--skip-kafka] [--skip-inprocess]
        [--schemes http,https] [--concurrency 100] [--rounds 3] [--baseline-path DIR:DIR]

Targets (nginx, HTTP and HTTPS with an ECDSA P-256 certificate) run pinned to core 0; each
measured prober process is pinned to core 1 (`taskset -c 1`). Every check opens a fresh
connection (and, for HTTPS, does a full handshake), as a monitor must. End-to-end runs need
Kafka (`scripts/infra up`; PULSECHECK_KAFKA_BOOTSTRAP, default 127.0.0.1:19092).

`--baseline-path` A/Bs a change end to end: it is put first on the prober's PYTHONPATH for the
"base" runs, which alternate with this tree's ("head"), e.g. for the last commit's prober:

    B=/tmp/base; mkdir -p $B
    git archive HEAD~1 services/prober/src packages/checks/src shared/src | tar -x -C $B
    ... --baseline-path $B/services/prober/src:$B/packages/checks/src:$B/shared/src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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


def run_json(command: list[str], env: dict[str, str] | None = None) -> dict[str, object]:
    completed = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    figures: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def in_process(schemes: list[str], concurrencies: list[int], checks: int, ca_file: str) -> None:
    print("\nin-process (run_check, fresh connection per check)")
    print(
        f"{'scheme':12} {'loop':7} {'conc':>5} {'checks/s':>9} {'cpu s/1k':>9} "
        f"{'added p50':>10} {'added p99':>10} {'rss MB':>7}  outcomes"
    )
    for scheme in schemes:
        for loop in ("asyncio", "uvloop"):
            for concurrency in concurrencies:
                command = ["taskset", "-c", "1", sys.executable, str(HERE / "inprocess.py")]
                command += ["--url", URLS[scheme], "--ca-file", ca_file]
                command += ["--checks", str(checks), "--concurrency", str(concurrency)]
                f = run_json([*command, "--loop", loop])
                print(
                    f"{scheme:12} {loop:7} {concurrency:>5} {f['checks_per_s']:>9} "
                    f"{f['cpu_s_per_1000']:>9} {f['added_p50_ms']:>8}ms "
                    f"{f['added_p99_ms']:>8}ms "
                    f"{f['peak_rss_mb']:>7}  {f['outcomes']}",
                    flush=True,
                )


def end_to_end(
    schemes: list[str],
    concurrencies: list[int],
    checks: int,
    ca_file: str,
    rounds: int,
    baseline_path: str | None,
) -> None:
    """Each configuration `rounds` times; with a baseline, base and head alternate run by run."""
    variants = {"head": None} if baseline_path is None else {"base": baseline_path, "head": None}
    print("\nend-to-end through Kafka (pulsecheck-prober process, uvloop)")
    print(
        f"{'scheme':12} {'conc':>5} {'variant':7} {'checks/s':>9} {'cpu ms':>7} "
        f"{'p50':>9} {'p99':>9} {'load':>5} {'rss MB':>7}  outcomes"
    )
    steady: dict[tuple[str, int, str], list[float]] = {}
    for _ in range(rounds):
        for scheme in schemes:
            for concurrency in concurrencies:
                for variant, path in variants.items():
                    env = None
                    if path is not None:
                        env = os.environ | {"PYTHONPATH": path}
                    command = [sys.executable, str(HERE / "end_to_end.py"), "--url", URLS[scheme]]
                    command += ["--ca-file", ca_file, "--checks", str(checks)]
                    f = run_json([*command, "--concurrency", str(concurrency)], env)
                    cpu_ms = float(str(f["cpu_ms_per_check_steady"]))
                    steady.setdefault((scheme, concurrency, variant), []).append(cpu_ms)
                    print(
                        f"{scheme:12} {concurrency:>5} {variant:7} "
                        f"{f['checks_per_s_steady']:>9} {cpu_ms:>7.3f} "
                        f"{f['check_latency_p50_ms']:>7}ms {f['check_latency_p99_ms']:>7}ms "
                        f"{f['load_average_1m']:>5} {f['peak_rss_mb']:>7}  {f['outcomes']}",
                        flush=True,
                    )
    print("\nmedian CPU-ms per check (steady), per configuration")
    for (scheme, concurrency, variant), values in steady.items():
        runs = " ".join(f"{v:.3f}" for v in values)
        median = statistics.median(values)
        print(f"{scheme:12} {concurrency:>5} {variant:7} {median:.3f}  ({runs})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checks", type=int, default=10_000)
    parser.add_argument("--skip-kafka", action="store_true")
    parser.add_argument("--skip-inprocess", action="store_true")
    parser.add_argument("--schemes", default=",".join(URLS), help="comma-separated")
    parser.add_argument("--concurrency", default="100,1000", help="comma-separated")
    parser.add_argument("--rounds", type=int, default=1, help="end-to-end runs per configuration")
    parser.add_argument("--baseline-path", help="PYTHONPATH of a baseline prober (see above)")
    args = parser.parse_args()
    schemes = args.schemes.split(",")
    concurrencies = [int(c) for c in args.concurrency.split(",")]
    fleet = start_fleet(core="0")
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".pem") as ca_file:
            ca_file.write(fleet.ca_pem)
            ca_file.flush()
            print(
                f"targets: {fleet.kind} on core 0; prober pinned to core 1; "
                f"{args.checks} checks per in-process run, {args.checks * 2} end-to-end"
            )
            if not args.skip_inprocess:
                in_process(schemes, concurrencies, args.checks, ca_file.name)
            if not args.skip_kafka:
                end_to_end(
                    schemes,
                    concurrencies,
                    args.checks * 2,
                    ca_file.name,
                    args.rounds,
                    args.baseline_path,
                )
    finally:
        fleet.stop()


if __name__ == "__main__":
    main()
