"""`ledger-tt collect --demo`: the whole flow on the sample district, with no paths to give.

The sample ledgers become real git repositories pushed to bare remotes in the cache, period
by period as leaders would push them: most records by their period's deadline, a few late,
and one hand-edited mistake committed past the hook. After each deadline the collector runs
(its clock set with as_of), so the dataset shows on-time and late records, a problem, and a
leader with nothing submitted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from ..paths import LEDGERS_DIR, data_dir
from ..program import load_program
from .collect import CollectResult, collect

SAMPLE = LEDGERS_DIR / "career-pathways-2013-14"
MARKER = ".ledger-tt-demo"
MISTAKE = (
    "activities/2014-02/2014-02-12-1700.yaml",
    'date: 2014-02-12\nstart: "17:00"\nend: "17:45"\ncampus: lamar-hs\nactivity: coaching-instruction\n'
    'with: individual\npeople: ["Smith, John"]\nnotes: Typed by hand; Smith is not on the Lamar roster.\n',
)


def default_demo_cache() -> Path:
    return data_dir() / "demo"


def _is_late(name: str) -> bool:
    """About one record in twelve is pushed a period late (deterministic)."""
    return hashlib.sha1(name.encode()).digest()[0] % 12 == 0


def _git(cwd: Path, *args: str, when: dt.datetime | None = None) -> None:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    if when is not None:
        stamp = when.isoformat()
        env |= {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def prepare(cache: Path) -> Path:
    """An empty demo cache (only a directory that is empty or was made by the demo is wiped)."""
    cache = Path(cache)
    if cache.exists() and any(cache.iterdir()) and not (cache / MARKER).exists():
        raise FileExistsError(f"{cache} is not empty and was not made by the demo; choose another --cache")
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    (cache / MARKER).write_text("made by `ledger-tt collect --demo`; safe to delete\n")
    return cache


def build_program(cache: Path) -> Path:
    """A copy of the sample program whose leaders' remotes are the demo's bare repositories."""
    program_dir = cache / "program"
    shutil.copytree(SAMPLE / "campuses", program_dir / "campuses")
    (program_dir / "program.yaml").write_text((SAMPLE / "program.yaml").read_text())
    program = load_program(SAMPLE)
    lines = ["leaders:"]
    for leader in program.leaders.values():
        remote = cache / "remotes" / f"{leader.id}.git"
        lines += [f"  - id: {leader.id}", f"    name: {leader.name}", f"    email: {leader.email}",
                  f"    campuses: [{', '.join(leader.campuses)}]", f"    remote: {remote}"]
    (program_dir / "leaders.yaml").write_text("\n".join(lines) + "\n")
    return program_dir


def run_demo(cache: Path | None = None, progress: Callable[[str], None] | None = None) -> tuple[CollectResult, Path]:
    cache = prepare(cache or default_demo_cache())
    program_dir = build_program(cache)
    program = load_program(program_dir)
    work = cache / "work"
    for leader in program.leaders.values():
        remote = cache / "remotes" / f"{leader.id}.git"
        _git(cache, "init", "-q", "--bare", "-b", "main", str(remote))
        ledger = work / leader.id
        ledger.mkdir(parents=True)
        _git(ledger, "init", "-q", "-b", "main")
        _git(ledger, "config", "user.name", leader.name)
        _git(ledger, "config", "user.email", leader.email)
        _git(ledger, "remote", "add", "origin", str(remote))
        shutil.copy(SAMPLE / "ledgers" / leader.id / "ledger.yaml", ledger / "ledger.yaml")
        _git(ledger, "add", "ledger.yaml")
        _git(ledger, "commit", "-q", "--no-verify", "-m", f"Start {leader.name}'s ledger",
             when=dt.datetime.combine(program.calendar.start, dt.time(8), dt.timezone.utc))
        _git(ledger, "push", "-q", "origin", "main")
    result = None
    held: dict[str, list[Path]] = {}
    for period in program.calendar.periods:
        pushed_at = dt.datetime.combine(period.end, dt.time(20), dt.timezone.utc)
        for leader in program.leaders.values():
            ledger = work / leader.id
            source = SAMPLE / "ledgers" / leader.id / "activities"
            files = sorted(p for p in source.rglob("*.yaml") if period.start.isoformat() <= p.name[:10] <= period.end.isoformat())
            now = [p for p in files if not _is_late(p.name)] + held.pop(leader.id, [])
            held[leader.id] = [p for p in files if _is_late(p.name)]
            for path in now:
                target = ledger / path.relative_to(source.parent)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target)
            if leader.id == "bwashington" and period.start.isoformat() <= Path(MISTAKE[0]).name[:10] <= period.end.isoformat():
                (ledger / MISTAKE[0]).parent.mkdir(parents=True, exist_ok=True)
                (ledger / MISTAKE[0]).write_text(MISTAKE[1])
            _git(ledger, "add", "-A")
            status = subprocess.run(["git", "status", "--porcelain"], cwd=ledger, capture_output=True, text=True).stdout
            if status.strip():
                _git(ledger, "commit", "-q", "--no-verify", "-m", f"Activities of period {period.number}", when=pushed_at)
                _git(ledger, "push", "-q", "origin", "main")
        as_of = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(6), dt.timezone.utc)
        if progress:
            progress(f"collected after deadline {period.number} ({period.end})")
        result = collect(program_dir, cache, as_of=as_of, allow_local=True)
    # the stragglers of the last period arrive two days after its deadline
    last = program.calendar.periods[-1].end
    for leader_id, paths in held.items():
        ledger = work / leader_id
        for path in paths:
            source = SAMPLE / "ledgers" / leader_id / "activities"
            target = ledger / path.relative_to(source.parent)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        if paths:
            _git(ledger, "add", "-A")
            _git(ledger, "commit", "-q", "--no-verify", "-m", "Late activities",
                 when=dt.datetime.combine(last + dt.timedelta(days=2), dt.time(20), dt.timezone.utc))
            _git(ledger, "push", "-q", "origin", "main")
    as_of = dt.datetime.combine(last + dt.timedelta(days=3), dt.time(6), dt.timezone.utc)
    result = collect(program_dir, cache, as_of=as_of, allow_local=True)
    return result, program_dir
