"""Writing the reports: one file per campus (or one CSV per table) and the district overview."""

from __future__ import annotations

import re
from pathlib import Path

from ..program import Program
from ..summary import Range
from ..yamlio import atomic_write
from . import html, render
from .compute import district_report
from .data import Dataset

EXTENSIONS = {"text": "txt", "md": "md", "json": "json", "html": "html", "csv": "csv"}


def slug(rng: Range) -> str:
    return re.sub(r"[^a-z0-9]+", "-", rng.label.lower()).strip("-")


def write_reports(program: Program, dataset: Dataset, rng: Range, fmt: str, out: Path, campus: str | None = None) -> list[Path]:
    district = district_report(program, rng, dataset)
    tax = program.taxonomy
    out = Path(out)
    written: list[Path] = []

    def put(name: str, text: str) -> None:
        atomic_write(out / name, text)
        written.append(out / name)

    for report in district.campuses:
        if campus and report.campus.id != campus:
            continue
        cid = report.campus.id
        if fmt == "csv":
            for table, text in render.csv_tables(report, tax).items():
                put(f"{cid}-{table}.csv", text)
        elif fmt == "json":
            put(f"{cid}.json", render.to_json(report, tax))
        elif fmt == "html":
            put(f"{cid}.html", html.campus_html(report, tax))
        else:
            put(f"{cid}.{EXTENSIONS[fmt]}", render.to_markdown(report, tax, markdown=fmt == "md"))
    if not campus:
        if fmt == "json":
            put("district.json", render.district_json(district, tax))
        elif fmt == "html":
            put("district.html", html.district_html(district, tax))
        elif fmt == "csv":
            pass  # the coordinator's tables are the collector's own CSV files
        else:
            put(f"district.{EXTENSIONS[fmt]}", render.district_markdown(district, tax, markdown=fmt == "md"))
    return written
