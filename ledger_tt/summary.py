"""A leader's own summary for a check-in: the same arithmetic the campus report uses.

Everything here works on plain rows (date, hours, activity code, with, people) so the
leader's view (from a ledger) and the campus report (from the collected dataset)
cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .program import Calendar, Taxonomy


@dataclass(frozen=True)
class Row:
    date: dt.date
    hours: float
    activity: str  # the taxonomy code
    with_: str
    people: tuple[str, ...]


@dataclass(frozen=True)
class Range:
    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass
class Summary:
    range: Range
    weeks: float
    total_hours: float
    activities: int
    by_activity: dict[str, float]  # code -> hours, in taxonomy order, zeros included
    per_week: dict[str, float]  # code -> hours per school week
    by_week: list[tuple[dt.date, float]]  # Monday -> hours
    people: list[tuple[str, float]] = field(default_factory=list)  # most time first

    @property
    def hours_per_week(self) -> float:
        return self.total_hours / self.weeks if self.weeks else 0.0


def rows_from_entries(entries: Iterable, taxonomy: Taxonomy) -> list[Row]:
    rows = []
    for entry in entries:
        r = entry.record
        found = taxonomy.resolve(r.activity)
        rows.append(Row(r.date, r.hours, found.code if found else r.activity, r.with_, tuple(r.people)))
    return rows


def summarize(rows: Iterable[Row], rng: Range, calendar: Calendar, taxonomy: Taxonomy, top: int = 10) -> Summary:
    """Hours in the range by activity, per school week (breaks left out), by calendar week,
    and the people with the most time (individual and group mentions; students are not staff)."""
    chosen = [r for r in rows if r.date in rng]
    by_activity = {a.code: 0.0 for a in taxonomy.activities}
    by_week: dict[dt.date, float] = defaultdict(float)
    people: Counter[str] = Counter()
    for row in chosen:
        by_activity[row.activity] = by_activity.get(row.activity, 0.0) + row.hours
        by_week[row.date - dt.timedelta(days=row.date.weekday())] += row.hours
        if row.with_ in ("individual", "group"):
            for name in row.people:
                people[name] += row.hours
    weeks = calendar.weeks(rng.start, rng.end)
    monday = rng.start - dt.timedelta(days=rng.start.weekday())
    all_weeks = []
    while monday <= rng.end:
        all_weeks.append((monday, round(by_week.get(monday, 0.0), 2)))
        monday += dt.timedelta(days=7)
    return Summary(
        range=rng,
        weeks=weeks,
        total_hours=sum(r.hours for r in chosen),
        activities=len(chosen),
        by_activity=by_activity,
        per_week={code: (hours / weeks if weeks else 0.0) for code, hours in by_activity.items()},
        by_week=all_weeks,
        people=sorted(people.items(), key=lambda kv: (-kv[1], kv[0]))[:top],
    )


def period_range(calendar: Calendar, number: int) -> Range:
    period = calendar.period(number)
    return Range(period.start, period.end, period.label)


def month_range(calendar: Calendar, year: int, month: int) -> Range:
    """A calendar month clipped to the program window."""
    first = dt.date(year, month, 1)
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    start, end = max(first, calendar.start), min(last, calendar.end)
    return Range(start, end, f"{first:%B %Y}")


def current_period_range(calendar: Calendar, today: dt.date) -> Range:
    period = calendar.period_of(today) or (calendar.periods[-1] if today > calendar.end else calendar.periods[0])
    return Range(period.start, period.end, period.label)


def bar(value: float, biggest: float, width: int = 30) -> str:
    """A text bar in eighths of a cell, for terminal charts."""
    if biggest <= 0 or value <= 0:
        return ""
    eighths = round(value / biggest * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[part]


def render_text(summary: Summary, taxonomy: Taxonomy, width: int = 30) -> str:
    lines = [
        f"{summary.range.label}: {summary.total_hours:.2f} hours in {summary.activities} activities, "
        f"{summary.hours_per_week:.2f} hours per school week ({summary.weeks:g} weeks)",
        "",
        "Hours by activity",
    ]
    biggest = max(summary.by_activity.values(), default=0)
    for activity in taxonomy.activities:
        hours = summary.by_activity.get(activity.code, 0.0)
        lines.append(f"  {activity.short:24} {hours:6.2f}  {summary.per_week[activity.code]:5.2f}/wk  {bar(hours, biggest, width)}")
    lines += ["", "Hours per week"]
    biggest = max((h for _, h in summary.by_week), default=0)
    for monday, hours in summary.by_week:
        lines.append(f"  {monday:%b %d}  {hours:6.2f}  {bar(hours, biggest, width)}")
    lines += ["", "People you spent the most time with"]
    lines += [f"  {name:28} {hours:6.2f} h" for name, hours in summary.people] or ["  (nobody yet)"]
    return "\n".join(line.rstrip() for line in lines)
