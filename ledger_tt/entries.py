"""Filtering and listing a leader's records: the manual's three searches plus a date range."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

from .ledger import Entry
from .program import Taxonomy


@dataclass(frozen=True)
class Filter:
    start: dt.date | None = None
    end: dt.date | None = None
    activity: str | None = None  # a code (or number) of the taxonomy
    with_: str | None = None

    def matches(self, entry: Entry, taxonomy: Taxonomy) -> bool:
        record = entry.record
        if self.start and record.date < self.start:
            return False
        if self.end and record.date > self.end:
            return False
        if self.activity:
            wanted = taxonomy.resolve(self.activity)
            found = taxonomy.resolve(record.activity)
            if wanted is None or found is None or wanted.code != found.code:
                return False
        return not self.with_ or record.with_ == self.with_


def select(entries: list[Entry], flt: Filter, taxonomy: Taxonomy) -> list[Entry]:
    """The matching entries, newest first."""
    chosen = [e for e in entries if flt.matches(e, taxonomy)]
    chosen.sort(key=lambda e: (e.record.date, e.record.start, e.relpath), reverse=True)
    return chosen


def total_hours(entries: list[Entry]) -> float:
    return sum(e.record.hours for e in entries)


COLUMNS = ("date", "start", "end", "hours", "campus", "activity", "task", "with", "people", "notes", "file")


def as_rows(entries: list[Entry], taxonomy: Taxonomy) -> list[dict]:
    rows = []
    for entry in entries:
        r = entry.record
        found = taxonomy.resolve(r.activity)
        rows.append(
            {
                "date": r.date.isoformat(),
                "start": r.start,
                "end": r.end,
                "hours": round(r.hours, 2),
                "campus": r.campus,
                "activity": found.code if found else r.activity,
                "task": r.task or "",
                "with": r.with_,
                "people": "; ".join(r.people),
                "notes": r.notes or "",
                "file": entry.relpath,
            }
        )
    return rows


def to_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(rows: list[dict], total: float) -> str:
    return json.dumps({"entries": rows, "count": len(rows), "total_hours": round(total, 2)}, indent=2, ensure_ascii=False)
