"""Where a prober's CPU goes: a py-spy profile split into the steps of the README's table.

    uv run --with py-spy py-spy record --native --rate 200 --duration 10 --format raw \\
        -o profile.txt --pid PROBER_PID          # during an end-to-end run
    uv run --frozen python -m bench.prober.budget profile.txt --cpu-ms 0.317

Each sample goes to the leaf-most step it is in (a json.dumps under `encode` under `publish` is
"encode"), and each step's share is scaled by the measured CPU-ms per check into µs per check.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# (step, pattern of a frame), leaf-most frame first wins; order only breaks ties in one frame
STEPS: tuple[tuple[str, str], ...] = (
    ("garbage collector", r"^gc_collect|^gc_collect_main"),
    ("encode CheckCompleted", r"^encode \(shared/events/envelope\.py"),
    ("decode CheckRequested", r"^(decode_expecting|decode_or_dead_letter) "),
    ("Kafka produce (send, accumulator, partitioner)", r"aiokafka/producer/(producer|message_acc)"),
    ("Kafka consume (fetcher, getmany)", r"aiokafka/consumer/"),
    ("Kafka I/O (connection, protocol, records)", r"aiokafka/"),
    ("check (connect, request, parse, close, result)", r"\((checks|shared/target_safety)[/.]"),
    (
        "bookkeeping (task, admission, fair share, metrics, event id)",
        r"^ProberWorker\.|\(prober/(fair_share|admission|metrics|offsets)\.py"
        r"|prometheus_client/|^(new_envelope|deterministic_event_id) ",
    ),
)
OTHER = "event loop, other"


def step_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for step, pattern in STEPS:
            if re.search(pattern, frame):
                return step
    return OTHER


def budget(profile: Path) -> tuple[Counter[str], int]:
    """Samples per step, and all samples."""
    steps: Counter[str] = Counter()
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack:
            steps[step_of(stack.split(";"))] += int(count)
    return steps, sum(steps.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profile", type=Path, help="py-spy --format raw output")
    parser.add_argument("--cpu-ms", type=float, required=True, help="measured CPU-ms per check")
    args = parser.parse_args()
    steps, total = budget(args.profile)
    print(f"{total} samples; µs per check at {args.cpu_ms} CPU-ms per check")
    for step, samples in steps.most_common():
        print(f"{step:64} {samples / total * args.cpu_ms * 1000:6.1f}  ({samples / total:5.1%})")


if __name__ == "__main__":
    main()
