"""The window as a PNG, per second: checks/s, drift p99 and checks in flight (requested minus
completed and skipped, the lag)."""

from __future__ import annotations

from pathlib import Path

from bench.system.observe import Observed


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else 0.0


def write_chart(observed: Observed, start: float, end: float, title: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    seconds = list(range(int(start), int(end)))
    x = [s - int(start) for s in seconds]
    done = [observed.per_second.get(s, [0, 0, 0])[1] for s in seconds]
    skipped = [observed.per_second.get(s, [0, 0, 0])[2] for s in seconds]
    asked = [observed.per_second.get(s, [0, 0, 0])[0] for s in seconds]
    drift = [_p99(observed.drift_by_second.get(s, [])) for s in seconds]
    in_flight, running = [], 0.0
    for a, d, k in zip(asked, done, skipped, strict=True):
        running += a - d - k
        in_flight.append(running)
    figure, axes = plt.subplots(3, 1, sharex=True, figsize=(7, 5.5), dpi=80)
    axes[0].plot(x, done, lw=0.8, label="completed")
    axes[0].plot(x, asked, lw=0.8, alpha=0.6, label="requested (by scheduled_for)")
    if any(skipped):
        axes[0].plot(x, skipped, lw=0.8, color="tab:gray", label="skipped (past deadline)")
    axes[0].set_ylabel("checks/s")
    axes[0].legend(fontsize=7, loc="lower right")
    axes[1].plot(x, drift, lw=0.8, color="tab:red")
    axes[1].set_ylabel("drift p99 ms")
    axes[2].plot(x, in_flight, lw=0.8, color="tab:green")
    axes[2].set_ylabel("in flight")
    axes[2].set_xlabel("seconds into the window")
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
