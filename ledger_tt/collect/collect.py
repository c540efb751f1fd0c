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
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import git

from .. import checks
from ..ledger import Entry, parse_records
from ..model import Profile, validate
from ..problems import Problem
from ..program import Leader, Program, load_program
from . import mirror, tree
from .cache import ParseCache
from .urls import UnsafeURL, check_url

LOG_NAME = "collect-log.jsonl"


@dataclass
class LeaderResult:
    leader: Leader
    url: str | None = None
    state: str = "ok"  # ok | unreachable | bad-url | quarantined | no-snapshot
    error: str | None = None
    head: str | None = None  # fetched this run
    snapshot: str | None = None  # the commit the rows come from
    snapshot_seen: str | None = None
    rewritten: bool = False
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    refused: int = 0
    parsed: int = 0

    @property
    def accepted(self) -> int:
        return len(self.rows)


@dataclass
class CollectResult:
    program: Program
    as_of: dt.datetime
    leaders: list[LeaderResult]
    cross_problems: list[tuple[str, Problem]] = field(default_factory=list)

    @property
    def rows(self) -> list[dict]:
        return [row for result in self.leaders for row in result.rows]

    def problem_rows(self) -> list[dict]:
        out = []
        for result in self.leaders:
            for p in result.problems:
                out.append({"leader": result.leader.id, **p.as_dict()})
        for leader, p in self.cross_problems:
            out.append({"leader": leader, **p.as_dict()})
        return out

    @property
    def counts(self) -> dict[str, int]:
        read = sum(r.read for r in self.leaders)
        accepted = sum(r.accepted for r in self.leaders)
        refused = sum(r.refused for r in self.leaders)
        return {"read": read, "accepted": accepted, "refused": refused, "parsed": sum(r.parsed for r in self.leaders)}


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
) -> CollectResult:
    """Fetch, read and check every leader. With `as_of` earlier than a run already logged, the
    run is a replay: nothing is fetched or logged, and the rows are what was known then."""
    as_of = as_of or dt.datetime.now(dt.timezone.utc)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=dt.timezone.utc)
    program = load_program(Path(program_dir), as_of.date())
    cache = Path(cache)
    results = [LeaderResult(leader) for leader in program.leaders.values()]
    _check_urls(results, program, allow_local)
    log = read_log(cache)
    replay = any(entry["seen"] > _iso(as_of) for entry in log)
    if not replay:
        _fetch_all(results, cache, allow_local, require_signed, jobs, timeout, progress)
        log_entries = [
            {"leader": r.leader.id, "commit": r.head, "seen": _iso(as_of), "rewritten": r.rewritten,
             **({"error": r.error} if r.error else {}), **({"quarantined": True} if r.state == "quarantined" else {})}
            for r in results if r.url is not None
        ]
        append_log(cache, log_entries)
        log = read_log(cache)
    for result in results:
        _read_leader(result, program, cache, log, as_of)
    collected = CollectResult(program, as_of, results)
    collected.cross_problems = _cross_ledger_checks(results)
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


def _fetch_all(results, cache, allow_local, require_signed, jobs, timeout, progress) -> None:
    todo = [r for r in results if r.url is not None]

    def one(result: LeaderResult):
        signers = None
        if require_signed:
            key = result.leader.signing_key
            signers = f"{result.leader.email} namespaces=\"git\" {key}\n" if key else ""
        fetched = mirror.fetch(cache, result.leader.id, result.url, timeout, allow_local, signers)
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


def _snapshots(log: list[dict], leader: str, as_of: dt.datetime) -> list[tuple[str, str]]:
    """(seen, commit) of the leader's usable snapshots at or before as_of, oldest first."""
    cutoff = _iso(as_of)
    out = [(e["seen"], e["commit"]) for e in log
           if e.get("leader") == leader and e.get("commit") and not e.get("quarantined") and e["seen"] <= cutoff]
    return sorted(out)


def _read_leader(result: LeaderResult, program: Program, cache: Path, log: list[dict], as_of: dt.datetime) -> None:
    snapshots = _snapshots(log, result.leader.id, as_of)
    if not snapshots:
        if result.state == "ok":
            result.state = "no-snapshot"
        return
    result.snapshot_seen, result.snapshot = snapshots[-1]
    repo = git.Repo(mirror.mirror_path(cache, result.leader.id))
    items = tree.list_tree(repo, result.snapshot)
    snap = tree.classify(items)
    for item, code, message in snap.refused:
        result.read += 1
        result.refused += 1
        result.problems.append(Problem(item.path, 1, 1, code, message))
    parse_cache = ParseCache(cache, result.leader.id)
    missing = [item.sha for item in [snap.profile, *snap.records] if item is not None and item.sha not in parse_cache.entries]
    contents = tree.read_blobs(repo, missing)
    blobs = contents.__getitem__
    profile_ok = _check_profile(result, snap, parse_cache, blobs)
    leader_profile = Profile(leader=result.leader.id, name=result.leader.name, email=result.leader.email,
                             campuses=result.leader.campuses, program=program.id)
    ctx = checks.Context(program, leader_profile, as_of.date())
    entries: list[Entry] = []
    refused_files: dict[str, int] = {}
    for item in snap.records:
        loaded = parse_cache.load(item.sha, blobs, item.path)
        file_entries, problems = parse_records(loaded, item.path, ctx)
        count = len(loaded.value) if isinstance(loaded.value, list) and loaded.value else 1
        result.read += count
        if not profile_ok:
            result.refused += count
            continue
        result.problems.extend(problems)
        entries.extend(file_entries)
        refused_files[item.path] = count - len(file_entries)
    for problem in checks.check_overlaps(entries):
        result.problems.append(problem)
    overlapping = {f for p in result.problems if p.code == "overlap" for f in (p.file, *p.related)}
    accepted = [e for e in entries if e.file not in overlapping]
    result.refused += sum(refused_files.values()) + (len(entries) - len(accepted))
    parse_cache.save()
    result.parsed = parse_cache.parsed
    first_seen = _first_seen(repo, snapshots)
    cutoffs = _period_snapshots(program, snapshots)
    shas = {item.path: item.sha for item in snap.records}
    for entry in accepted:
        sha = shas[entry.relpath]
        seen = first_seen.get((entry.relpath, sha), result.snapshot_seen)
        result.rows.append(_row(result, program, entry, seen, cutoffs) | {"blob": sha})


def _check_profile(result: LeaderResult, snap, parse_cache: ParseCache, blobs) -> bool:
    """The ledger must be the program's leader's own: a profile claiming anyone else voids it."""
    if snap.profile is None:
        result.problems.append(Problem("ledger.yaml", 1, 1, "forged-leader", "the ledger has no ledger.yaml; its records cannot be attributed"))
        return False
    loaded = parse_cache.load(snap.profile.sha, blobs, "ledger.yaml")
    profile, problems = validate(Profile, loaded) if not loaded.problems else (None, loaded.problems)
    if profile is None:
        result.problems.extend(problems)
        return False
    if profile.leader != result.leader.id:
        line, col = loaded.where(("leader",))
        result.problems.append(Problem("ledger.yaml", line, col, "forged-leader",
                                       f"the profile claims leader '{profile.leader}', but this is {result.leader.id}'s remote; every record refused"))
        return False
    return True


def _first_seen(repo: git.Repo, snapshots: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """When each (path, blob) first appeared in a collected snapshot."""
    seen: dict[tuple[str, str], str] = {}
    done: set[str] = set()
    for when, commit in snapshots:
        if commit in done:
            continue
        done.add(commit)
        for path, sha in tree.blob_map(repo, commit).items():
            seen.setdefault((path, sha), when)
    return seen


def _period_snapshots(program: Program, snapshots: list[tuple[str, str]]) -> dict[int, str]:
    """period number -> when its data was taken: the first snapshot after its deadline day."""
    out = {}
    for period in program.calendar.periods:
        after = [seen for seen, _commit in snapshots if dt.date.fromisoformat(seen[:10]) > period.end]
        if after:
            out[period.number] = after[0]
    return out


def _row(result: LeaderResult, program: Program, entry: Entry, seen: str, cutoffs: dict[int, str]) -> dict:
    """One dataset row. Late: this version of the file was not in the period's snapshot (the
    first one taken after its deadline) but appeared in a later one."""
    record = entry.record
    activity = program.taxonomy.resolve(record.activity)
    period = program.calendar.period_of(record.date)
    late = period is not None and period.number in cutoffs and seen > cutoffs[period.number]
    return {
        "leader": result.leader.id,
        "campus": record.campus,
        "date": record.date.isoformat(),
        "start": record.start,
        "end": record.end,
        "hours": round(record.hours, 4),
        "activity": activity.code if activity else record.activity,
        "task": record.task or "",
        "with": record.with_,
        "people": list(record.people),
        "period": period.number if period else None,
        "month": f"{record.date:%Y-%m}",
        "late": late,
        "first_seen": seen,
        "commit": result.snapshot,
        "file": entry.relpath + (f"#{entry.index}" if entry.index is not None else ""),
    }


def _cross_ledger_checks(results: list[LeaderResult]) -> list[tuple[str, Problem]]:
    """Across ledgers: one ledger copied into another leader's remote.

    Two leaders who led a session together may well hold one identical record; a ledger
    whose records are nearly all another's is a copy, and the later leader's rows go."""
    problems = []
    signatures: list[tuple[str, set[str]]] = []
    for result in results:
        blobs = {(row["file"], row["blob"]) for row in result.rows}
        if len(blobs) >= 10:
            for other, other_blobs in signatures:
                if len(blobs & other_blobs) >= 0.8 * len(blobs):
                    problems.append((result.leader.id, Problem("ledger.yaml", 1, 1, "copied-ledger",
                                                               f"{result.leader.id}'s records are a copy of {other}'s ({len(blobs & other_blobs)} of {len(blobs)}); refused")))
                    result.refused += len(result.rows)
                    result.rows = []
                    break
            else:
                signatures.append((result.leader.id, blobs))
    return problems
