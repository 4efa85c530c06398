"""CPU and memory of a process tree read from /proc: a service (`scripts/run` starts each as a
group under a wrapper), the Kafka broker, PostgreSQL. Kafka and PostgreSQL are shared with
anyone else using them during the window, so their figures are upper bounds."""

from __future__ import annotations

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _argv(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def find_pids() -> dict[str, int]:
    """The Kafka broker's JVM and the PostgreSQL postmaster (children are summed under it)."""
    found: dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        # by the program itself, not any process (a shell, a grep) that names it in its arguments
        argv = _argv(int(entry.name))
        if argv and argv[0].endswith("/java") and "kafka.Kafka" in argv:
            found["kafka"] = int(entry.name)
        elif argv and argv[0].endswith("/bin/postgres") and "-D" in argv:
            found["postgresql"] = int(entry.name)
    return found


def _tree(root: int) -> list[int]:
    """`root` and all its descendants."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue
    pids, index = [root], 0
    while index < len(pids):
        pids.extend(parents.get(pids[index], []))
        index += 1
    return pids


def tree_cpu_seconds(root: int) -> float:
    """The tree's processes, plus what their exited children used (cutime, cstime)."""
    total = 0.0
    for pid in _tree(root):
        try:
            fields = _stat(pid)
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])
    return total / CLOCK_TICKS


def tree_rss_mb(root: int, key: str = "VmHWM:") -> float:
    """Peak resident memory summed over the tree (shared buffers counted once per process)."""
    total = 0
    for pid in _tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(key):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024
