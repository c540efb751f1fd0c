"""The program: taxonomy, calendar, campuses with rosters, and leaders, all read from files.

A program is a directory:

    program.yaml        id, name, and where the rest is (defaults shown)
                          taxonomy: builtin          (schema/taxonomy.yaml)
                          calendar: builtin:2013-14  | current-school-year | a path
                          campuses: campuses         (a directory of <campus-id>.yaml)
                          leaders: leaders.yaml
    campuses/*.yaml     id, name, roster: [{name: "Last, First", role, grade, team}]
    leaders.yaml        leaders: [{id, name, email, campuses, remote, signing_key}]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from . import yamlio
from .model import validate
from .paths import BUILTIN_PROGRAMS, SCHEMA_DIR, builtin_program_dirs
from .problems import Problem


class ProgramError(Exception):
    """The program's own files are wrong: a coordinator must fix them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Activity(_Strict):
    code: str
    number: int | None
    name: str
    short: str
    kind: str
    notes_required: bool = False
    examples: list[str] = []


class Taxonomy(_Strict):
    id: str
    activities: list[Activity]

    @cached_property
    def _lookup(self) -> dict[str, Activity]:
        table: dict[str, Activity] = {}
        for activity in self.activities:
            table[activity.code] = activity
            if activity.number is not None:
                table[str(activity.number)] = activity
        return table

    def resolve(self, written: str) -> Activity | None:
        """The activity a record names, by code or by the manual's number."""
        return self._lookup.get(written.strip().lower())

    def label(self, written: str) -> str:
        found = self.resolve(written)
        return found.short if found else written


class Break(_Strict):
    name: str
    start: dt.date
    end: dt.date


class CalendarFile(_Strict):
    name: str
    start: dt.date
    end: dt.date
    deadlines: list[dt.date] = Field(min_length=1)
    breaks: list[Break] = []


@dataclass(frozen=True)
class Period:
    number: int
    start: dt.date
    end: dt.date  # the deadline: the last day of the period

    @property
    def label(self) -> str:
        return f"Period {self.number} ({self.start:%b %-d} – {self.end:%b %-d, %Y})"


@dataclass(frozen=True)
class Calendar:
    name: str
    start: dt.date
    end: dt.date
    deadlines: tuple[dt.date, ...]
    breaks: tuple[Break, ...] = ()

    @cached_property
    def periods(self) -> tuple[Period, ...]:
        periods, begin = [], self.start
        for number, deadline in enumerate(self.deadlines, 1):
            periods.append(Period(number, begin, deadline))
            begin = deadline + dt.timedelta(days=1)
        return tuple(periods)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def period_of(self, day: dt.date) -> Period | None:
        for period in self.periods:
            if period.start <= day <= period.end:
                return period
        return None

    def period(self, number: int) -> Period:
        return self.periods[number - 1]

    def break_days(self, start: dt.date, end: dt.date) -> int:
        days = 0
        for brk in self.breaks:
            lo, hi = max(start, brk.start), min(end, brk.end)
            days += max(0, (hi - lo).days + 1)
        return days

    def weeks(self, start: dt.date, end: dt.date) -> float:
        """Weeks of school in [start, end]: calendar days clipped to the window, less breaks, over 7."""
        lo, hi = max(start, self.start), min(end, self.end)
        if hi < lo:
            return 0.0
        return ((hi - lo).days + 1 - self.break_days(lo, hi)) / 7


def current_school_year(today: dt.date) -> Calendar:
    """The manual's pattern applied to the school year holding `today`.

    The year runs from the Monday on or before August 1 to the Sunday on or after the
    next July 31; deadlines fall every second Sunday; a two-week winter break starts
    the Monday of Christmas week, and the deadline inside it is dropped, so the winter
    period runs four weeks as in 2013-14.
    """
    year = today.year if today.month >= 8 else today.year - 1
    aug1 = dt.date(year, 8, 1)
    start = aug1 - dt.timedelta(days=aug1.weekday())
    jul31 = dt.date(year + 1, 7, 31)
    end = jul31 + dt.timedelta(days=(6 - jul31.weekday()))
    christmas = dt.date(year, 12, 25)
    winter = Break(
        name="Winter break",
        start=christmas - dt.timedelta(days=christmas.weekday()),
        end=christmas - dt.timedelta(days=christmas.weekday()) + dt.timedelta(days=13),
    )
    deadlines, day = [], start + dt.timedelta(days=13)
    while day <= end:
        if not winter.start <= day <= winter.end:
            deadlines.append(day)
        day += dt.timedelta(days=14)
    if deadlines[-1] != end:
        deadlines.append(end)
    return Calendar(f"School year {year}-{(year + 1) % 100:02d}", start, end, tuple(deadlines), (winter,))


class Person(_Strict):
    name: str = Field(description='"Last, First"')
    role: str = "teacher"
    grade: str | None = None
    team: str | None = None


class Campus(_Strict):
    id: str
    name: str
    roster: list[Person] = []

    @cached_property
    def _by_name(self) -> dict[str, Person]:
        return {" ".join(p.name.split()).lower(): p for p in self.roster}

    def person(self, name: str) -> Person | None:
        """The roster entry for a name, ignoring case and extra spaces."""
        return self._by_name.get(" ".join(name.split()).lower())


class Leader(_Strict):
    id: str
    name: str
    email: str
    campuses: list[str] = Field(min_length=1)
    remote: str | None = None
    signing_key: str | None = None


class LeadersFile(_Strict):
    leaders: list[Leader] = []


class ProgramFile(_Strict):
    id: str
    name: str
    taxonomy: str = "builtin"
    calendar: str = "builtin:2013-14"
    campuses: str = "campuses"
    leaders: str = "leaders.yaml"


def _read(model, path: Path):
    loaded = yamlio.load_file(path)
    if loaded.problems:
        raise ProgramError(loaded.problems)
    obj, problems = validate(model, loaded)
    if problems:
        raise ProgramError(problems)
    return obj


@dataclass
class Program:
    root: Path
    id: str
    name: str
    taxonomy: Taxonomy
    calendar: Calendar
    campuses: dict[str, Campus]
    leaders: dict[str, Leader]

    def campus(self, campus_id: str) -> Campus | None:
        return self.campuses.get(campus_id)


def load_taxonomy(spec: str = "builtin", base: Path = SCHEMA_DIR) -> Taxonomy:
    path = SCHEMA_DIR / "taxonomy.yaml" if spec == "builtin" else base / spec
    return _read(Taxonomy, path)


def load_calendar(spec: str, base: Path, today: dt.date) -> Calendar:
    if spec == "current-school-year":
        return current_school_year(today)
    path = SCHEMA_DIR / f"calendar-{spec.split(':', 1)[1]}.yaml" if spec.startswith("builtin:") else base / spec
    data = _read(CalendarFile, path)
    return Calendar(data.name, data.start, data.end, tuple(data.deadlines), tuple(data.breaks))


def load_program(root: Path, today: dt.date | None = None) -> Program:
    from .times import today as _today

    root = Path(root)
    if not (root / "program.yaml").is_file():
        raise ProgramError([Problem(str(root), 1, 1, "bad-profile", f"{root} has no program.yaml")])
    spec = _read(ProgramFile, root / "program.yaml")
    campuses = {}
    for path in sorted((root / spec.campuses).glob("*.yaml")):
        campus = _read(Campus, path)
        campuses[campus.id] = campus
    leaders_path = root / spec.leaders
    leaders = _read(LeadersFile, leaders_path).leaders if leaders_path.exists() else []
    return Program(
        root=root,
        id=spec.id,
        name=spec.name,
        taxonomy=load_taxonomy(spec.taxonomy, root),
        calendar=load_calendar(spec.calendar, root, today or _today()),
        campuses=campuses,
        leaders={leader.id: leader for leader in leaders},
    )


def find_program(spec: str, relative_to: Path | None = None) -> Path:
    """A program directory from a profile's `program:` value: a built-in name or a path."""
    builtins = builtin_program_dirs()
    if spec in builtins:
        return builtins[spec]
    path = Path(spec).expanduser()
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    if (path / "program.yaml").is_file():
        return path
    known = ", ".join(sorted(builtins)) or "none"
    raise ProgramError(
        [Problem(str(path), 1, 1, "bad-profile", f"program '{spec}' is neither a built-in program ({known}) nor a directory with program.yaml")]
    )


__all__ = ["Program", "ProgramError", "load_program", "find_program", "BUILTIN_PROGRAMS"]
