"""The rules a record must pass beyond its field types: small pure functions, one list.

A record check takes (record, context) and returns findings: (field, code, message).
A ledger check takes every entry of one ledger and returns problems of its own,
naming each file involved. The registry below is the whole rule book; each code's
hint is in problems.CODES and each has a reproducer in tests/test_problem_codes.py.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .model import Profile, Record
from .problems import Problem
from .program import Program
from .times import parse_time

MAX_MINUTES = 12 * 60
_TITLE = re.compile(r"^\s*(mr|mrs|ms|miss|dr|prof)\b\.?\s*", re.IGNORECASE)
_LAST_FIRST = re.compile(r"^[^\s,][^,]*,\s*[^\s,][^,]*$")

Finding = tuple[str, str, str]  # (field, code, message)


@dataclass(frozen=True)
class Context:
    program: Program
    profile: Profile | None
    today: dt.date


def check_times(record: Record, ctx: Context) -> Iterable[Finding]:
    start, end = parse_time(record.start), parse_time(record.end)
    if end <= start:
        yield "end", "end-before-start", f"end {record.end} is not after start {record.start}"
    elif end - start > MAX_MINUTES:
        yield "end", "too-long", f"{record.start}-{record.end} is {(end - start) / 60:.1f} hours; the most is 12"


def check_date(record: Record, ctx: Context) -> Iterable[Finding]:
    cal = ctx.program.calendar
    if not cal.contains(record.date):
        yield "date", "outside-window", f"{record.date} is outside the tracking window {cal.start} to {cal.end}"
    if record.date > ctx.today:
        yield "date", "in-future", f"{record.date} is in the future (today is {ctx.today})"


def check_campus(record: Record, ctx: Context) -> Iterable[Finding]:
    if ctx.program.campus(record.campus) is None:
        known = ", ".join(sorted(ctx.program.campuses))
        yield "campus", "unknown-campus", f"campus '{record.campus}' is not in the program ({known}){_did_you_mean(record.campus, ctx.program.campuses)}"
    elif ctx.profile is not None and record.campus not in ctx.profile.campuses:
        yield "campus", "not-your-campus", f"campus '{record.campus}' is not one of yours ({', '.join(ctx.profile.campuses)})"


def check_activity(record: Record, ctx: Context) -> Iterable[Finding]:
    activity = ctx.program.taxonomy.resolve(record.activity)
    if activity is None:
        codes = [a.code for a in ctx.program.taxonomy.activities]
        yield "activity", "unknown-activity", f"activity '{record.activity}' is not one of: {', '.join(codes)}{_did_you_mean(record.activity, codes)}"
        return
    if record.task is not None and _norm(record.task) not in _examples(tuple(activity.examples)):
        yield "task", "unknown-task", f"task '{record.task}' is not an example of '{activity.name}'"
    if activity.notes_required and not (record.notes or "").strip():
        yield "notes", "notes-required", f"activity '{activity.code}' needs notes that explain it"


def check_people(record: Record, ctx: Context) -> Iterable[Finding]:
    mode, people = record.with_, record.people
    if mode == "self":
        if people:
            yield "people", "self-has-people", "with 'self' names nobody, but people are listed"
        return
    if mode == "individual" and len(people) != 1:
        yield "people", "individual-needs-one-person", f"with 'individual' names exactly one person, found {len(people)}"
    if mode in ("group", "students") and not people:
        yield "people", "people-required", f"with '{mode}' needs the names of the people involved"
    for index, name in enumerate(people):
        where = f"people.{index}"
        if _TITLE.match(name):
            yield where, "name-has-title", f"'{name}' has a title; write the name alone"
        elif not _LAST_FIRST.match(name):
            yield where, "name-format", f"'{name}' is not written as \"Last, First\""
        elif mode == "individual":
            campus = ctx.program.campus(record.campus)
            if campus is not None and campus.person(name) is None:
                yield where, "not-on-roster", f"'{name}' is not on the {campus.name} roster"


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


@functools.lru_cache(maxsize=64)
def _examples(examples: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_norm(e) for e in examples)


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").rstrip(". ").split())


RECORD_CHECKS: list[Callable[[Record, Context], Iterable[Finding]]] = [
    check_times,
    check_date,
    check_campus,
    check_activity,
    check_people,
]


def run_record_checks(record: Record, ctx: Context, partial: bool = False) -> list[Finding]:
    """Every finding of every rule. With partial=True the record is a draft missing its bad
    fields, and a rule that needs one of them is skipped (the field has its own finding)."""
    findings: list[Finding] = []
    for check in RECORD_CHECKS:
        try:
            findings.extend(check(record, ctx))
        except Exception as err:  # a bug in a check must not hide the other problems
            if partial and isinstance(err, AttributeError):
                continue
            findings.append(("", "check-crashed", f"{check.__name__} failed: {err!r}"))
    return findings


# ------------------------------------------------------------- ledger-wide checks


def check_overlaps(entries: list) -> list[Problem]:
    """Two records of one leader may not overlap in time; name both files."""
    problems = []
    by_day: dict[dt.date, list] = {}
    for entry in entries:
        by_day.setdefault(entry.record.date, []).append(entry)
    for day_entries in by_day.values():
        day_entries.sort(key=lambda e: (parse_time(e.record.start), e.file))
        latest = None  # the entry that ends last so far
        for entry in day_entries:
            if latest is not None and parse_time(entry.record.start) < parse_time(latest.record.end):
                line, col = entry.position("start")
                problems.append(
                    Problem(
                        entry.file, line, col, "overlap",
                        f"{entry.record.date} {entry.record.start}-{entry.record.end} overlaps "
                        f"{latest.record.start}-{latest.record.end} in {latest.file}:{latest.position('start')[0]}",
                        related=(latest.file,),
                    )
                )
            if latest is None or parse_time(entry.record.end) > parse_time(latest.record.end):
                latest = entry
    return problems


LEDGER_CHECKS: list[Callable[[list], list[Problem]]] = [check_overlaps]
