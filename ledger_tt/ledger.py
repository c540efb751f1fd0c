"""A leader's ledger: the profile, the record files, and checking them all.

    ledger.yaml                               the profile (model.Profile)
    activities/2013-11/2013-11-04-0800.yaml   one record per file (or a list, by hand)

Loading never raises on bad data: the result holds every good record and every
problem, so one broken file never hides the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import checks, yamlio
from .model import Profile, Record, validate
from .problems import Problem, display_path
from .program import Program, ProgramError, find_program, load_program
from .times import today as _today

PROFILE = "ledger.yaml"
ACTIVITIES = "activities"
RECORD_SUFFIXES = (".yaml", ".yml")


@dataclass
class Entry:
    """One valid record and where it was written."""

    record: Record
    file: str  # as shown to the person
    relpath: str  # inside the ledger, with '/' separators
    loaded: yamlio.Loaded = field(repr=False)
    index: int | None = None  # position in a hand-written list of records
    row: dict | None = field(default=None, repr=False)  # the collector's dataset row for it

    def position(self, name: str) -> tuple[int, int]:
        base = () if self.index is None else (self.index,)
        key = base + (name,)
        return self.loaded.positions.get(key) or self.loaded.where(base)


@dataclass
class LedgerState:
    root: Path
    profile: Profile | None
    program: Program | None
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_files: set[str] = field(default_factory=set)


def is_record_path(relpath: str) -> bool:
    return relpath.startswith(ACTIVITIES + "/") and relpath.endswith(RECORD_SUFFIXES)


def find_ledger_root(start: Path) -> Path | None:
    """The ledger holding `start`: the nearest directory upward with ledger.yaml."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if (candidate / PROFILE).is_file():
            return candidate
    return None


def read_profile(root: Path, base: Path | None = None) -> tuple[Profile | None, list[Problem]]:
    loaded = yamlio.load_file(root / PROFILE, display_path(root / PROFILE, base))
    if loaded.problems:
        return None, loaded.problems
    profile, problems = validate(Profile, loaded)
    return profile, [Problem(p.file, p.line, p.column, p.code if p.code != "not-a-record" else "bad-profile", p.message) for p in problems]


def parse_records(loaded: yamlio.Loaded, relpath: str, ctx: checks.Context | None) -> tuple[list[Entry], list[Problem]]:
    """Every record in a loaded file: a mapping is one record, a list holds several."""
    problems = list(loaded.problems)
    if loaded.value is None and problems:
        return [], problems
    if isinstance(loaded.value, list):
        bases: list[tuple] = [(i,) for i in range(len(loaded.value))]
        if not bases:
            problems.append(loaded.problem((), "not-a-record", "the list holds no records"))
    else:
        bases = [()]
    entries = []
    file_level_problems = bool(problems)  # YAML problems make every record of the file untrusted
    for base in bases:
        record, record_problems = validate(Record, loaded, base)
        if record is not None and ctx is not None:
            for field_name, code, message in checks.run_record_checks(record, ctx):
                path = base + tuple(int(p) if p.isdigit() else p for p in field_name.split(".") if p)
                record_problems.append(loaded.problem(path, code, message))
        problems.extend(record_problems)
        if record is not None and not record_problems and not file_level_problems:
            entries.append(Entry(record, loaded.file, relpath, loaded, base[0] if base else None))
    return entries, problems


def iter_working_tree(root: Path) -> Iterator[tuple[str, Path]]:
    base = root / ACTIVITIES
    if not base.is_dir():
        return
    for path in sorted(base.rglob("*")):
        if path.suffix in RECORD_SUFFIXES and not path.name.startswith("."):
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def load_ledger(
    root: Path,
    *,
    program: Program | None = None,
    today: dt.date | None = None,
    only: Iterable[Path] | None = None,
    sources: Iterable[tuple[str, bytes]] | None = None,
    base: Path | None = None,
) -> LedgerState:
    """Load and check a ledger. `only` limits the reported files (overlaps still see all);
    `sources` replaces the working tree (the pre-commit hook passes the staged files)."""
    root = Path(root)
    state = LedgerState(root, None, program)
    profile, problems = read_profile(root, base)
    state.profile, state.problems = profile, problems
    if state.program is None and profile is not None:
        try:
            state.program = load_program(find_program(profile.program, root), today)
        except ProgramError as err:
            state.problems.extend(err.problems)
    if state.program is None:
        return state
    ctx = checks.Context(state.program, profile, today or _today())
    files: Iterable[tuple[str, bytes | Path]] = sources if sources is not None else iter_working_tree(root)
    shown_root = display_path(root, base)  # resolved once, not once per file
    for relpath, raw in files:
        display = relpath if shown_root == "." else f"{shown_root}/{relpath}"
        loaded = yamlio.load_file(raw, display) if isinstance(raw, Path) else yamlio.load(raw, display)
        entries, file_problems = parse_records(loaded, relpath, ctx)
        state.entries.extend(entries)
        state.problems.extend(file_problems)
        if file_problems:
            state.bad_files.add(relpath)
    for ledger_check in checks.LEDGER_CHECKS:
        state.problems.extend(ledger_check(state.entries))
    if only is not None:
        wanted = {display_path(p, base) for p in only}
        state.problems = [p for p in state.problems if p.file in wanted]
    state.problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    return state


def record_relpath(record: Record, taken: set[str]) -> str:
    """activities/YYYY-MM/YYYY-MM-DD-HHMM.yaml, with -2, -3... if the name is taken."""
    stem = f"{ACTIVITIES}/{record.date:%Y-%m}/{record.date.isoformat()}-{record.start.replace(':', '')}"
    candidate, n = f"{stem}.yaml", 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.yaml"
    return candidate


def render_record(record: Record) -> str:
    return yamlio.dump_mapping(record.as_fields())
