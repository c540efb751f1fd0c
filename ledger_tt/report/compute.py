"""Campus reports: the arithmetic, kept apart from how it is shown.

Rules (docs/reports.md says the same for readers):
- Hours per week = hours in the range / school weeks in the range, where school weeks are the
  range's days inside the program window, less configured breaks, over 7 (Calendar.weeks).
- A leader's numbers on a campus count only their records *for that campus*; each leader's
  numbers come from summary.summarize, the very function behind `ledger-tt summary`.
- A teacher "receives" the whole duration of an activity they took part in, individually or
  in a group (a one-hour session with three teachers gives each of them one hour).
- The previous range is the previous period, the previous month, or, for --from/--to, the
  same number of days just before.
- A campus report names only that campus's leaders, roster and the people in its own
  records; refused records are listed by code and place, without their messages (which may
  name people of other campuses). The district overview has everything.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..program import Campus, Program
from ..summary import Range, Row, Summary, month_range, period_range, summarize


@dataclass
class LeaderLine:
    id: str
    name: str
    summary: Summary
    submitted: bool  # any activity in the range at this campus
    state: str  # from the collector: ok | unreachable | no-snapshot | ...
    late: int


@dataclass
class TeacherLine:
    name: str
    hours: float
    leaders: int
    role: str | None
    grade: str | None
    team: str | None
    on_roster: bool


@dataclass
class Coverage:
    group: str  # "grade 9" or "team English"
    teachers: int
    supported: int
    hours: float


@dataclass
class CampusReport:
    campus: Campus
    range: Range
    weeks: float
    leaders: list[LeaderLine]
    per_week_by_activity: dict[str, float]  # average over the campus's leaders
    total_hours: float
    previous_total: float | None
    previous_label: str | None
    admin_share: float
    coaching_share: float
    other_hours: float
    other_count: int
    teachers: list[TeacherLine]
    unsupported: list[TeacherLine]
    several_leaders: list[TeacherLine]
    coverage: list[Coverage]
    weekly: list[tuple[dt.date, float]]
    late_rows: list[dict]
    refused: list[dict]  # {leader, file, line, code} only
    missing_snapshots: list[str]  # leader ids

    @property
    def average_per_week(self) -> float:
        return self.total_hours / self.weeks / len(self.leaders) if self.weeks and self.leaders else 0.0


@dataclass
class DistrictReport:
    range: Range
    campuses: list[CampusReport]
    leader_states: list[dict]
    problems: list[dict]
    counts: dict = field(default_factory=dict)


def _day(row: dict) -> dt.date:
    """A row's date as a date (the dataset loader puts it in "day"; rows made by hand have text)."""
    day = row.get("day")
    return day if day is not None else dt.date.fromisoformat(row["date"])


def to_row(row: dict) -> Row:
    return Row(_day(row), float(row["hours"]), row["activity"], row["with"], tuple(row["people"]))


def previous_range(program: Program, rng: Range) -> Range | None:
    cal = program.calendar
    for period in cal.periods:
        if (period.start, period.end) == (rng.start, rng.end):
            return period_range(cal, period.number - 1) if period.number > 1 else None
    if rng.start.day == 1 or rng.start == cal.start:
        first = rng.start.replace(day=1)
        prev = (first - dt.timedelta(days=1)).replace(day=1)
        if prev >= cal.start.replace(day=1):
            candidate = month_range(cal, prev.year, prev.month)
            if candidate.label != rng.label:
                return candidate
    days = (rng.end - rng.start).days + 1
    start = rng.start - dt.timedelta(days=days)
    if start < cal.start:
        return None
    return Range(start, rng.start - dt.timedelta(days=1), f"{start} to {rng.start - dt.timedelta(days=1)}")


def campus_report(program: Program, campus: Campus, rng: Range, rows: list[dict], problems: list[dict],
                  states: dict[str, str]) -> CampusReport:
    cal, tax = program.calendar, program.taxonomy
    leaders = [leader for leader in program.leaders.values() if campus.id in leader.campuses]
    here = [r for r in rows if r["campus"] == campus.id]
    in_range = [r for r in here if rng.start <= _day(r) <= rng.end]
    by_leader: dict[str, list[dict]] = defaultdict(list)
    for r in here:
        by_leader[r["leader"]].append(r)
    lines = []
    for leader in leaders:
        mine = by_leader.get(leader.id, [])
        summary = summarize([to_row(r) for r in mine], rng, cal, tax, top=5)
        late = sum(1 for r in mine if r["late"] and rng.start <= _day(r) <= rng.end)
        lines.append(LeaderLine(leader.id, leader.name, summary, summary.activities > 0, states.get(leader.id, "no-snapshot"), late))
    weeks = cal.weeks(rng.start, rng.end)
    total = sum(line.summary.total_hours for line in lines)
    per_week = {a.code: (sum(line.summary.by_activity.get(a.code, 0.0) for line in lines) / weeks / len(lines)
                         if weeks and lines else 0.0) for a in tax.activities}
    kinds = {a.code: a.kind for a in tax.activities}
    admin = sum(float(r["hours"]) for r in in_range if kinds.get(r["activity"]) == "administrative")
    coaching = sum(float(r["hours"]) for r in in_range if kinds.get(r["activity"]) == "coaching")
    others = [r for r in in_range if r["activity"] == "other"]
    prev = previous_range(program, rng)
    previous_total = None
    if prev is not None:
        previous_total = sum(float(r["hours"]) for r in here if prev.start <= _day(r) <= prev.end)
    teachers = _teachers(campus, in_range)
    weekly: dict[dt.date, float] = defaultdict(float)
    monday = rng.start - dt.timedelta(days=rng.start.weekday())
    while monday <= rng.end:
        weekly[monday] = 0.0
        monday += dt.timedelta(days=7)
    for r in in_range:
        day = _day(r)
        weekly[day - dt.timedelta(days=day.weekday())] += float(r["hours"])
    leader_ids = {leader.id for leader in leaders}
    refused = [{"leader": p["leader"], "file": p["file"], "line": p["line"], "code": p["code"]}
               for p in problems if p["leader"] in leader_ids and _may_be_in(p["file"], rng)]
    return CampusReport(
        campus=campus, range=rng, weeks=weeks, leaders=lines, per_week_by_activity=per_week, total_hours=total,
        previous_total=previous_total, previous_label=prev.label if prev else None,
        admin_share=admin / total if total else 0.0, coaching_share=coaching / total if total else 0.0,
        other_hours=sum(float(r["hours"]) for r in others), other_count=len(others),
        teachers=[t for t in teachers if t.hours > 0],
        unsupported=[t for t in teachers if t.on_roster and t.hours == 0 and t.role != "administrator"],
        several_leaders=[t for t in teachers if t.leaders > 1],
        coverage=_coverage(teachers),
        weekly=sorted(weekly.items()),
        late_rows=[r for r in in_range if r["late"]],
        refused=refused,
        missing_snapshots=[line.id for line in lines if line.state not in ("ok",)],
    )


def _may_be_in(file: str, rng: Range) -> bool:
    """A refused file belongs to the range if its name's date does, or if it has no date."""
    name = file.rsplit("/", 1)[-1]
    try:
        return rng.start <= dt.date.fromisoformat(name[:10]) <= rng.end
    except ValueError:
        return True


def _teachers(campus: Campus, rows: list[dict]) -> list[TeacherLine]:
    hours: Counter[str] = Counter()
    leaders: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["with"] in ("individual", "group"):
            for name in r["people"]:
                person = campus.person(name)
                key = person.name if person else " ".join(name.split())
                hours[key] += float(r["hours"])
                leaders[key].add(r["leader"])
    out = []
    roster_names = set()
    for person in campus.roster:
        roster_names.add(person.name.lower())
        out.append(TeacherLine(person.name, hours.get(person.name, 0.0), len(leaders.get(person.name, ())), person.role,
                               person.grade, person.team, True))
    for name, value in hours.items():
        if name.lower() not in roster_names:
            out.append(TeacherLine(name, value, len(leaders[name]), None, None, None, False))
    return sorted(out, key=lambda t: (-t.hours, t.name))


def _coverage(teachers: list[TeacherLine]) -> list[Coverage]:
    groups: dict[str, list[TeacherLine]] = defaultdict(list)
    for t in teachers:
        if not t.on_roster or t.role == "administrator":
            continue
        if t.grade:
            groups[f"grade {t.grade}"].append(t)
        if t.team:
            groups[f"team {t.team}"].append(t)
    out = [Coverage(name, len(members), sum(1 for m in members if m.hours > 0), sum(m.hours for m in members))
           for name, members in groups.items()]
    return sorted(out, key=lambda c: (not c.group.startswith("grade"), _grade_key(c.group)))


def _grade_key(group: str):
    tail = group.split(" ", 1)[1]
    return (0, int(tail), "") if tail.isdigit() else (1, 0, tail)


def district_report(program: Program, rng: Range, dataset) -> DistrictReport:
    """Every campus's report, one campus's rows in memory at a time (dataset.rows_for)."""
    states = {s["leader"]: s["state"] for s in dataset.status}
    campuses = [campus_report(program, c, rng, dataset.rows_for(c.id), dataset.problems, states) for c in program.campuses.values()]
    return DistrictReport(rng, campuses, dataset.status, dataset.problems, dataset.counts)
