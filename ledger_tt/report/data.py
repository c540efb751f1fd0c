"""Reading the collector's dataset back (records, problems, leader status, counts)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Dataset:
    rows: list[dict]
    problems: list[dict]
    status: list[dict]
    counts: dict
    as_of: str


def load_dataset(directory: Path) -> Dataset:
    directory = Path(directory)
    if not (directory / "records.jsonl").exists():
        raise FileNotFoundError(f"no dataset in {directory}: run `ledger-tt collect` first (or `collect --demo`)")
    rows = [json.loads(line) for line in (directory / "records.jsonl").read_text().splitlines() if line.strip()]
    problems = [json.loads(line) for line in (directory / "problems.jsonl").read_text().splitlines() if line.strip()]
    summary = json.loads((directory / "summary.json").read_text())
    return Dataset(rows, problems, summary["leaders"], summary["counts"], summary["as_of"])
