"""The dataset a coordinator opens: records (CSV and JSON Lines), problems, and leader status."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

from .. import yamlio
from .collect import CollectResult

from .read import RECORD_COLUMNS

PROBLEM_COLUMNS = ("leader", "file", "line", "column", "severity", "code", "message", "hint")
STATUS_COLUMNS = ("leader", "name", "campuses", "state", "last_commit", "last_seen", "records", "problems", "late", "error")


def _csv(rows: list[dict], columns: tuple[str, ...]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("; ".join(v) if isinstance(v, list) else v) for k, v in row.items()})
    return buffer.getvalue()


def status_rows(result: CollectResult) -> list[dict]:
    rows = []
    for r in result.leaders:
        rows.append({
            "leader": r.leader.id,
            "name": r.leader.name,
            "campuses": list(r.leader.campuses),
            "state": r.state,
            "last_commit": r.snapshot or "",
            "last_seen": r.snapshot_seen or "",
            "records": r.accepted,
            "problems": len(r.problems),
            "late": 0 if r.dropped else r.late,
            "error": r.error or "",
        })
    return rows


def write_dataset(result: CollectResult, out: Path) -> list[Path]:
    """records.csv, records.jsonl, records.bin, problems.csv, problems.jsonl, leaders.csv, summary.json.

    The record files are the leaders' own result files joined in leader order, streamed
    from disk: a district's rows are never all in memory."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    leaders = sorted((r for r in result.leaders if r.accepted and not r.dropped), key=lambda r: r.leader.id)
    header = ",".join(RECORD_COLUMNS) + "\n"
    written = []
    # the record files are rewritten only when some leader's rows changed (a warm run keeps them)
    manifest = json.dumps([[r.leader.id, r.key] for r in leaders])
    unchanged = (out / ".records-manifest").is_file() and (out / ".records-manifest").read_text() == manifest
    for name, ext, first in (("records.csv", "csv", header.encode()), ("records.jsonl", "jsonl", b""), ("records.bin", "bin", b"")):
        if unchanged and (out / name).is_file():
            written.append(out / name)
            continue
        tmp = out / f".{name}.tmp"
        with open(tmp, "wb") as target:
            target.write(first)
            for leader in leaders:
                with open(leader.path(ext), "rb") as source:
                    shutil.copyfileobj(source, target)
            target.flush()
            os.fsync(target.fileno())
        os.replace(tmp, out / name)
        written.append(out / name)
    yamlio.atomic_write(out / ".records-manifest", manifest)
    problems = sorted(result.problem_rows(), key=lambda p: (p["leader"], p["file"], p["line"], p["column"], p["code"]))
    status = status_rows(result)
    files = {
        "problems.csv": _csv(problems, PROBLEM_COLUMNS),
        "problems.jsonl": "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in problems),
        "leaders.csv": _csv(status, STATUS_COLUMNS),
        "summary.json": json.dumps({"program": result.program.id, "as_of": result.as_of.isoformat(timespec="seconds"),
                                    "counts": result.counts, "leaders": status}, indent=2, ensure_ascii=False) + "\n",
    }
    for name, text in files.items():
        yamlio.atomic_write(out / name, text)
        written.append(out / name)
    return written


def status_table(result: CollectResult) -> str:
    lines = [f"{'leader':14} {'state':13} {'records':>7} {'late':>5} {'problems':>8}  last commit  last seen"]
    for row in status_rows(result):
        lines.append(f"{row['leader']:14} {row['state']:13} {row['records']:>7} {row['late']:>5} {row['problems']:>8}  "
                     f"{row['last_commit'][:10] or '-':11}  {row['last_seen'] or '-'}")
    return "\n".join(lines)
