"""Reading one leader's snapshot into rows: runs in a worker process, writes its rows to disk.

A leader's rows never sit in the coordinator's memory all at once: each worker writes them
to CACHE/results/<leader>.{jsonl,csv,bin} (already sorted, already in the dataset's formats)
and hands back only counts, problems and a small fingerprint. The output is then a
concatenation of those files, in leader order. The same files are the warm cache: when
nothing that a leader's rows depend on has changed (snapshot, the snapshots before it, the
program, the day), the worker reuses them without reading anything else.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import marshal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import git

from .. import __version__, checks
from ..ledger import Entry, parse_records
from ..model import Profile, validate
from ..problems import Problem
from ..program import Leader, Program
from . import mirror, tree
from .. import yamlio
from .cache import ParseCache

RECORD_COLUMNS = ("leader", "campus", "date", "start", "end", "hours", "activity", "task", "with", "people",
                  "period", "month", "late", "commit", "file")
SKETCH = 64  # bottom-k blob ids: enough to tell a copied ledger from a colleague's shared session
RESULTS_FORMAT = 3
# a cached row's values, in _row_base's order (tuples: a third of the time and space of dicts in marshal)
ROW_BASE_KEYS = ("leader", "campus", "date", "start", "end", "hours", "activity", "task", "with", "people", "period", "month", "file")  # bump when the stored rows' shape changes: old results are then read again


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
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    refused: int = 0
    accepted: int = 0
    late: int = 0
    parsed: int = 0
    reused: bool = False  # rows taken from the warm cache
    key: str | None = None  # what the rows depend on, hashed
    sketch: list[str] = field(default_factory=list)
    results_dir: Path | None = None
    dropped: bool = False  # refused whole by a cross-ledger check

    def path(self, ext: str) -> Path:
        return self.results_dir / f"{self.leader.id}.{ext}"

    @property
    def rows(self) -> list[dict]:
        if self.dropped or self.results_dir is None or not self.path("jsonl").exists() or not self.accepted:
            return []
        return [json.loads(line) for line in self.path("jsonl").read_text().splitlines()]


def program_fingerprint(program: Program) -> str:
    """Everything of the program a leader's rows depend on, as one hash."""
    data = [program.id, program.taxonomy.model_dump(), [c.model_dump() for c in program.campuses.values()],
            [program.calendar.start.isoformat(), program.calendar.end.isoformat(), [d.isoformat() for d in program.calendar.deadlines]],
            [b.model_dump(mode="json") for b in program.calendar.breaks]]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def try_reuse(result: LeaderResult, program: Program, fingerprint: str, cache: Path, snapshots: list[tuple[str, str]],
              as_of: dt.datetime) -> bool:
    """Done already? True when the leader has no snapshot, or their stored rows still hold."""
    result.results_dir = Path(cache) / "results"
    if not snapshots:
        if result.state == "ok":
            result.state = "no-snapshot"
        return True
    result.snapshot_seen, result.snapshot = snapshots[-1]
    result.key = _key(result, fingerprint, snapshots, _period_snapshots(program, snapshots), as_of)
    return _reuse(result, result.key)


def read_leader(result: LeaderResult, program: Program, fingerprint: str, cache: Path, snapshots: list[tuple[str, str]],
                as_of: dt.datetime) -> LeaderResult:
    """Read, check and write the rows of one leader's newest snapshot (seen at or before as_of)."""
    if result.key is None and try_reuse(result, program, fingerprint, cache, snapshots, as_of):
        return result
    key = result.key
    repo = git.Repo(mirror.mirror_path(cache, result.leader.id))
    items = tree.list_tree(repo, result.snapshot)
    snap = tree.classify(items)
    for item, code, message in snap.refused:
        result.read += 1
        result.refused += 1
        result.problems.append(Problem(item.path, 1, 1, code, message))
    parse_cache = ParseCache(cache, result.leader.id, context=_context_key(fingerprint, result.leader, as_of))
    missing = [item.sha for item in [snap.profile, *snap.records] if item is not None and item.sha not in parse_cache.entries]
    contents = tree.read_blobs(repo, missing)

    def blobs(sha: str) -> bytes:
        if sha not in contents:  # a cached blob needed again, to place a problem
            contents.update(tree.read_blobs(repo, [sha]))
        return contents[sha]

    profile_ok = _check_profile(result, snap, parse_cache, blobs)
    leader = result.leader
    ctx = checks.Context(program, Profile(leader=leader.id, name=leader.name, email=leader.email, campuses=leader.campuses,
                                          program=program.id), as_of.date())
    entries: list[Entry] = []
    for item in snap.records:
        count, file_entries, problems = _checked_file(item, parse_cache, blobs, ctx, leader.id)
        result.read += count
        if not profile_ok:
            result.refused += count
            continue
        result.problems.extend(problems)
        entries.extend(file_entries)
        result.refused += count - len(file_entries)
    overlaps = checks.check_overlaps(entries)
    if overlaps:  # place them: the files involved are parsed again, with positions
        involved = {f for p in overlaps for f in (p.file, *p.related)}
        shas = {item.path: item.sha for item in snap.records}
        for entry in entries:
            if entry.file in involved and not entry.loaded.detailed:
                entry.loaded = parse_cache.load(shas[entry.relpath], blobs, entry.relpath, detailed=True)
        overlaps = checks.check_overlaps(entries)
    result.problems.extend(overlaps)
    overlapping = {f for p in overlaps for f in (p.file, *p.related)}
    accepted = [e for e in entries if e.file not in overlapping]
    result.refused += len(entries) - len(accepted)
    first_seen = _first_seen(repo, snapshots, {result.snapshot: {i.path: i.sha for i in items}}, parse_cache)
    parse_cache.save()
    result.parsed = parse_cache.parsed
    cutoffs = _period_snapshots(program, snapshots)
    shas = {item.path: item.sha for item in snap.records}
    rows = []
    for entry in accepted:
        seen = first_seen.get((entry.relpath, shas[entry.relpath]), result.snapshot_seen)
        period = entry.row["period"]
        late = period is not None and period in cutoffs and seen > cutoffs[period]
        rows.append(entry.row | {"late": late, "commit": result.snapshot})
    rows.sort(key=lambda r: (r["date"], r["start"], r["file"]))
    result.accepted = len(rows)
    result.late = sum(1 for r in rows if r["late"])
    result.sketch = sorted({shas[e.relpath] for e in accepted})[:SKETCH]
    _store(result, key, rows)
    return result


class _Slot(NamedTuple):
    """Just what the overlap check reads of a record that was checked in an earlier run."""

    date: dt.date
    start: str
    end: str


def _checked_file(item, parse_cache: ParseCache, blobs, ctx, leader: str) -> tuple[int, list[Entry], list[Problem]]:
    """One record file through the loader and the checks, or what they said last time.

    Each entry carries `row`: its dataset row less `late` and `commit`, which depend on the
    snapshot; a file checked before in the same context costs no validation and no Record."""
    known = parse_cache.outcome(item.sha, item.path)
    if known is not None:
        count, rows, problems = known
        stub = yamlio.Loaded(item.path, None, detailed=False)  # positions come back only if needed
        entries = []
        for values, index in rows:
            row = dict(zip(ROW_BASE_KEYS, values))
            entry = Entry(_Slot(dt.date.fromisoformat(row["date"]), row["start"], row["end"]), item.path, item.path, stub, index)
            entry.row = row
            entries.append(entry)
        return count, entries, [Problem(*p) for p in problems]
    loaded = parse_cache.load(item.sha, blobs, item.path)
    file_entries, problems = parse_records(loaded, item.path, ctx)
    if problems and not loaded.detailed:  # say where: parse this one file again, with positions
        loaded = parse_cache.load(item.sha, blobs, item.path, detailed=True)
        file_entries, problems = parse_records(loaded, item.path, ctx)
    count = len(loaded.value) if isinstance(loaded.value, list) and loaded.value else 1
    for entry in file_entries:
        entry.row = _row_base(leader, ctx.program, entry)
    parse_cache.remember(item.sha, item.path, count, [(tuple(e.row[k] for k in ROW_BASE_KEYS), e.index) for e in file_entries], problems)
    return count, file_entries, problems


def _context_key(fingerprint: str, leader: Leader, as_of: dt.datetime) -> str:
    data = [__version__, fingerprint, leader.model_dump(), as_of.date().isoformat()]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _key(result: LeaderResult, fingerprint: str, snapshots: list[tuple[str, str]], cutoffs: dict[int, str],
         as_of: dt.datetime) -> str:
    """What the rows depend on: the snapshot, when each commit was first seen, when each
    period's data was taken, the program, the leader's entry and the day (for in-future)."""
    distinct: dict[str, str] = {}
    for seen, commit in snapshots:
        distinct.setdefault(commit, seen)
    data = [__version__, RESULTS_FORMAT, fingerprint, result.leader.model_dump(), result.snapshot, sorted(distinct.items()),
            sorted(cutoffs.items()), as_of.date().isoformat()]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _reuse(result: LeaderResult, key: str) -> bool:
    try:
        meta = marshal.loads(result.path("meta").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if meta.get("key") != key:
        return False
    result.read, result.refused, result.accepted, result.late = meta["read"], meta["refused"], meta["accepted"], meta["late"]
    result.sketch = meta["sketch"]
    result.problems.extend(Problem(*p) for p in meta["problems"])
    result.reused = True
    return True


def _store(result: LeaderResult, key: str, rows: list[dict]) -> None:
    """rows.jsonl, rows.csv (no header) and rows.bin (marshal tuples for the report), then meta: its key last."""
    from ..yamlio import atomic_write

    result.results_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(result.path("jsonl"), "".join(json.dumps({k: r[k] for k in RECORD_COLUMNS}, ensure_ascii=False) + "\n" for r in rows),
                 durable=False)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for r in rows:
        writer.writerow(["; ".join(r[k]) if k == "people" else r[k] for k in RECORD_COLUMNS])
    atomic_write(result.path("csv"), buffer.getvalue(), durable=False)
    # the report's fast path: repeated words interned so marshal writes each once, dates as ordinals
    word = sys.intern
    compact = [(r["leader"], word(r["campus"]), dt.date.fromisoformat(r["date"]).toordinal(), word(r["start"]), r["hours"],
                word(r["activity"]), word(r["with"]), tuple(word(n) for n in r["people"]), r["late"], r["file"]) for r in rows]
    atomic_write(result.path("bin"), marshal.dumps(compact), durable=False)
    meta = {"key": key, "read": result.read, "refused": result.refused, "accepted": result.accepted, "late": result.late,
            "sketch": result.sketch,
            "problems": [(p.file, p.line, p.column, p.code, p.message, p.severity, tuple(p.related)) for p in result.problems]}
    atomic_write(result.path("meta"), marshal.dumps(meta), durable=False)  # last: it vouches for the others


def _check_profile(result: LeaderResult, snap, parse_cache: ParseCache, blobs) -> bool:
    """The ledger must be the program's leader's own: a profile claiming anyone else voids it."""
    if snap.profile is None:
        result.problems.append(Problem("ledger.yaml", 1, 1, "forged-leader", "the ledger has no ledger.yaml; its records cannot be attributed"))
        return False
    loaded = parse_cache.load(snap.profile.sha, blobs, "ledger.yaml", detailed=True)
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


def _first_seen(repo: git.Repo, snapshots: list[tuple[str, str]], known: dict[str, dict[str, str]],
                parse_cache: ParseCache) -> dict[tuple[str, str], str]:
    """When each (path, blob) first appeared in a collected snapshot (`known`: listings at hand).

    Kept in the leader's cache and extended with each new snapshot only, so a year of biweekly
    runs does not list every old snapshot again. The earliest time wins, which also keeps
    replays (--as-of in the past) right: a blob in the replayed snapshot was seen by then."""
    seen = parse_cache.first_seen
    listed = set(parse_cache.listed)
    first_time: dict[str, str] = {}
    for when, commit in snapshots:
        first_time.setdefault(commit, when)
    for commit, when in first_time.items():
        if commit in listed:
            continue
        listing = known.get(commit) or tree.blob_map(repo, commit)
        for path, sha in listing.items():
            key = (path, sha)
            if key not in seen or when < seen[key]:
                seen[key] = when
        parse_cache.listed.append(commit)
        parse_cache.dirty = True
    return seen


def _period_snapshots(program: Program, snapshots: list[tuple[str, str]]) -> dict[int, str]:
    """period number -> when its data was taken: the first snapshot after its deadline day."""
    out = {}
    for period in program.calendar.periods:
        after = [seen for seen, _commit in snapshots if dt.date.fromisoformat(seen[:10]) > period.end]
        if after:
            out[period.number] = after[0]
    return out


def _row_base(leader: str, program: Program, entry: Entry) -> dict:
    """A dataset row, less `late` and `commit`. Late (set per snapshot): this version of the
    file was not in its period's snapshot (the first taken after its deadline) but came later."""
    record = entry.record
    activity = program.taxonomy.resolve(record.activity)
    period = program.calendar.period_of(record.date)
    return {
        "leader": leader,
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
        "file": entry.relpath + (f"#{entry.index}" if entry.index is not None else ""),
    }
