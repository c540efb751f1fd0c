"""Timing helpers shared by the benchmarks: medians of repeated runs, and a printed table."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time


def wall(command: list[str], repeat: int = 5, env: dict | None = None) -> float:
    """Median wall-clock seconds of a whole command (process start to exit)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env={**os.environ, **(env or {})})
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> str:
    return f"{platform.node() or 'host'} · {platform.machine()} · {os.cpu_count()} cores · Python {sys.version.split()[0]}"


def table(rows: list[tuple[str, str, str, str]], title: str) -> str:
    """rows: (what, figure, baseline, ratio)."""
    head = ("measure", "figure", "baseline (same run)", "ratio")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    out = [f"### {title}", "", line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)
