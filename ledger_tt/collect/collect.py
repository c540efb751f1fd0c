"""One collect run: fetch every leader in parallel, read each snapshot, check, trust, mark late.

Pipeline per leader: URL check -> fetch into the mirror -> collect log -> snapshot (the newest
one seen at or before --as-of) -> tree (symlinks, submodules, outsiders and oversized files
refused) -> profile must be the program's leader -> records parsed (cached by blob) and
checked like `ledger-tt check`, against the program's own list of the leader's campuses ->
late marks from first-seen times -> rows. Then cross-ledger checks, then counts that add up.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Problem
from ..program import Program, load_program
from . import mirror
from .read import LeaderResult, program_fingerprint, read_leader, try_reuse
from .urls import UnsafeURL, check_url

LOG_NAME = "collect-log.jsonl"


@dataclass
class CollectResult:
    program: Program
    as_of: dt.datetime
    leaders: list[LeaderResult]
    cross_problems: list[tuple[str, Problem]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase, for docs/scaling.md

    @property
    def rows(self) -> list[dict]:
        """Every accepted row, read back from the per-leader files (tests and small runs)."""
        return [row for result in self.leaders for row in result.rows]

    def problem_rows(self) -> list[dict]:
        out = []
        for result in self.leaders:
            for p in result.problems:
                out.append({"leader": result.leader.id, **p.as_dict()})
        return out  # cross-ledger problems are in their leader's list too

    @property
    def counts(self) -> dict[str, int]:
        return {
            "read": sum(r.read for r in self.leaders),
            "accepted": sum(r.accepted for r in self.leaders),
            "refused": sum(r.refused for r in self.leaders),
            "parsed": sum(r.parsed for r in self.leaders),
        }


# ---------------------------------------------------------------- the collect log


def read_log(cache: Path) -> list[dict]:
    path = Path(cache) / LOG_NAME
    if not path.exists():
        return []
    entries = []
    for line in path.read_text().splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a torn last line from a crash: the rest is still good
    return entries


def append_log(cache: Path, entries: list[dict]) -> None:
    path = Path(cache) / LOG_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")
        handle.flush()


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


# ---------------------------------------------------------------- the run


def collect(
    program_dir: Path,
    cache: Path,
    *,
    as_of: dt.datetime | None = None,
    allow_local: bool = False,
    require_signed: bool = False,
    jobs: int = 8,
    timeout: float = 60.0,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    program: Program | None = None,
) -> CollectResult:
    """Fetch, read and check every leader. With `as_of` earlier than a run already logged, the
    run is a replay: nothing is fetched or logged, and the rows are what was known then."""
    as_of = as_of or dt.datetime.now(dt.timezone.utc)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=dt.timezone.utc)
    started = time.perf_counter()
    program = program or load_program(Path(program_dir), as_of.date())
    cache = Path(cache)
    results = [LeaderResult(leader) for leader in program.leaders.values()]
    _check_urls(results, program, allow_local)
    log = read_log(cache)
    replay = any(entry["seen"] > _iso(as_of) for entry in log)
    fetch_started = time.perf_counter()
    if not replay:
        known = _snapshots_by_leader(log, as_of)
        trusted = {r.leader.id: (known.get(r.leader.id) or [(None, None)])[-1][1] for r in results}
        _fetch_all(results, cache, allow_local, require_signed, jobs, timeout, progress, trusted)
        log_entries = [
            {"leader": r.leader.id, "commit": r.head, "seen": _iso(as_of), "rewritten": r.rewritten,
             **({"error": r.error} if r.error else {}), **({"quarantined": True} if r.state == "quarantined" else {})}
            for r in results if r.url is not None
        ]
        append_log(cache, log_entries)
        log = read_log(cache)
    read_started = time.perf_counter()
    fingerprint = program_fingerprint(program)
    snapshots = _snapshots_by_leader(log, as_of)
    tasks = [(result, program, fingerprint, cache, snapshots.get(result.leader.id, []), as_of) for result in results]
    todo = [i for i, task in enumerate(tasks) if not try_reuse(*task)]  # a warm run stops here
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(todo) >= 8 else 1
    if workers > 1:
        # fork: the workers start at once with the program already loaded; the fetch
        # threads have all finished by now, so nothing is copied mid-flight
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            done = list(pool.map(_read_task, [tasks[i] for i in todo], chunksize=max(1, len(todo) // (workers * 8))))
    else:
        done = [_read_task(tasks[i]) for i in todo]
    for i, result in zip(todo, done):
        results[i] = result
    collected = CollectResult(program, as_of, results)
    collected.cross_problems = _cross_ledger_checks(results)
    done = time.perf_counter()
    collected.timings = {"setup": fetch_started - started, "fetch": read_started - fetch_started, "read": done - read_started}
    return collected


def _check_urls(results: list[LeaderResult], program: Program, allow_local: bool) -> None:
    seen: dict[str, str] = {}
    for result in results:
        raw = result.leader.remote
        try:
            result.url = check_url(raw or "", allow_local, program.root)
        except UnsafeURL as err:
            result.state, result.error = "bad-url", str(err)
            result.problems.append(Problem("leaders.yaml", 1, 1, "bad-url", f"{result.leader.id}: {err}"))
            continue
        if result.url in seen:
            result.state, result.error = "bad-url", f"same remote as {seen[result.url]}"
            result.problems.append(Problem("leaders.yaml", 1, 1, "shared-remote",
                                           f"{result.leader.id} and {seen[result.url]} name the same remote; neither can be told apart"))
            result.url = None
            continue
        seen[result.url] = result.leader.id


def _fetch_all(results, cache, allow_local, require_signed, jobs, timeout, progress, trusted) -> None:
    todo = [r for r in results if r.url is not None]

    def one(result: LeaderResult):
        signers = None
        if require_signed:
            key = result.leader.signing_key
            signers = f"{result.leader.email} namespaces=\"git\" {key}\n" if key else ""
        fetched = mirror.fetch(cache, result.leader.id, result.url, timeout, allow_local, signers, trusted.get(result.leader.id))
        if progress:
            progress(result.leader.id)
        return result, fetched

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for result, fetched in pool.map(one, todo):
            result.head, result.rewritten = fetched.head, fetched.rewritten
            if fetched.error:
                result.state, result.error = "unreachable", fetched.error
                result.problems.append(Problem(result.url, 1, 1, "unreachable", f"could not fetch: {fetched.error}; the last good snapshot is used"))
            if fetched.rewritten:
                result.problems.append(Problem(result.url, 1, 1, "history-rewritten",
                                               f"history was rewritten (force-push): {fetched.previous[:10]} is not in the new history; it is kept in the mirror"))
            if fetched.unsigned:
                result.state = "quarantined"
                mirror.quarantine(cache, result.leader.id, fetched.head)
                result.problems.append(Problem(result.url, 1, 1, "unsigned-commit",
                                               f"{len(fetched.unsigned)} new commit(s) lack a valid signature by {result.leader.id}'s key "
                                               f"(first: {fetched.unsigned[0][:10]}); quarantined, the last good snapshot is used"))
                result.head = None


def _snapshots_by_leader(log: list[dict], as_of: dt.datetime) -> dict[str, list[tuple[str, str]]]:
    """leader -> (seen, commit) of their usable snapshots at or before as_of, oldest first."""
    cutoff = _iso(as_of)
    out: dict[str, list[tuple[str, str]]] = {}
    for e in log:
        if e.get("commit") and not e.get("quarantined") and e["seen"] <= cutoff:
            out.setdefault(e["leader"], []).append((e["seen"], e["commit"]))
    for snapshots in out.values():
        snapshots.sort()
    return out


def _read_task(task) -> LeaderResult:
    return read_leader(*task)


def _cross_ledger_checks(results: list[LeaderResult]) -> list[tuple[str, Problem]]:
    """Across ledgers: one ledger copied into another leader's remote.

    Two leaders who led a session together may well hold one identical record; a ledger
    whose records are nearly all another's is a copy, and the later leader's rows go.
    Ledgers are compared by a bottom-k sketch of their record blob ids (k = 64), through an
    index from blob id to the ledgers holding it: linear in the number of leaders."""
    problems = []
    holders: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for result in results:
        sketch = set(result.sketch)
        if result.accepted < 10 or not sketch:
            continue
        shared: dict[str, int] = {}
        for blob in sketch:
            for other in holders.get(blob, ()):
                shared[other] = shared.get(other, 0) + 1
        copied = next((other for other, n in shared.items() if n >= 0.8 * min(len(sketch), sizes[other])), None)
        if copied:
            problem = Problem("ledger.yaml", 1, 1, "copied-ledger", f"{result.leader.id}'s records are a copy of {copied}'s; refused")
            problems.append((result.leader.id, problem))
            result.problems.append(problem)
            result.refused += result.accepted
            result.accepted = 0
            result.dropped = True
            continue
        sizes[result.leader.id] = len(sketch)
        for blob in sketch:
            holders.setdefault(blob, []).append(result.leader.id)
    return problems
