"""Reading the collector's dataset back (records, problems, leader status, counts).

Rows are held as compact tuples grouped by campus (from records.bin, a marshal stream the
collector writes beside records.jsonl), and become dicts one campus at a time: a district's
600,000 rows fit in a small fraction of the memory 600,000 dicts would take.
"""

from __future__ import annotations

import datetime as dt
import json
import marshal
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

FIELDS = ("leader", "campus", "date", "start", "hours", "activity", "with", "people", "late", "file")  # date: an ordinal


@dataclass
class Dataset:
    by_campus: dict[str, list[tuple]]
    problems: list[dict]
    status: list[dict]
    counts: dict
    as_of: str

    def rows_for(self, campus: str) -> list[dict]:
        out = []
        for row in self.by_campus.get(campus, ()):
            day = dt.date.fromordinal(row[2])
            out.append({"leader": row[0], "campus": row[1], "date": day.isoformat(), "day": day, "start": row[3], "hours": row[4],
                        "activity": row[5], "with": row[6], "people": list(row[7]), "late": row[8], "file": row[9]})
        return out

    @property
    def rows(self) -> list[dict]:
        return [row for campus in sorted(self.by_campus) for row in self.rows_for(campus)]


def _compact(row: dict) -> tuple:
    """A records.jsonl row in records.bin's shape (dates as ordinals)."""
    return (row["leader"], row["campus"], dt.date.fromisoformat(row["date"]).toordinal(), row["start"], row["hours"],
            row["activity"], row["with"], tuple(row["people"]), row["late"], row["file"])


def load_dataset(directory: Path) -> Dataset:
    directory = Path(directory)
    if not (directory / "records.jsonl").exists():
        raise FileNotFoundError(f"no dataset in {directory}: run `ledger-tt collect` first (or `collect --demo`)")
    by_campus: dict[str, list[tuple]] = defaultdict(list)
    binary = directory / "records.bin"
    if binary.exists():
        with open(binary, "rb") as handle:
            while True:
                try:
                    chunk = marshal.load(handle)
                except EOFError:
                    break
                for row in chunk:
                    by_campus[row[1]].append(row)
    else:
        for line in (directory / "records.jsonl").read_text().splitlines():
            if line.strip():
                row = _compact(json.loads(line))
                by_campus[row[1]].append(row)
    problems = [json.loads(line) for line in (directory / "problems.jsonl").read_text().splitlines() if line.strip()]
    summary = json.loads((directory / "summary.json").read_text())
    return Dataset(dict(by_campus), problems, summary["leaders"], summary["counts"], summary["as_of"])
