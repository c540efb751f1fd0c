"""Campus reports as text, Markdown, CSV tables and JSON (the HTML page is in html.py)."""

from __future__ import annotations

import csv
import io
import json

from ..program import Taxonomy
from ..summary import bar
from .compute import CampusReport, DistrictReport

REPORT_SHAPE_VERSION = 1


def _h(hours: float) -> str:
    return f"{hours:.2f}"


def _change(report: CampusReport) -> str:
    if report.previous_total is None:
        return "no previous range in the program window"
    delta = report.total_hours - report.previous_total
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(delta):.2f} h from {report.previous_label} ({_h(report.previous_total)} h)"


def as_dict(report: CampusReport, taxonomy: Taxonomy) -> dict:
    """The JSON shape (docs/reports.md; schema/report.schema.json)."""
    return {
        "version": REPORT_SHAPE_VERSION,
        "campus": {"id": report.campus.id, "name": report.campus.name},
        "range": {"label": report.range.label, "start": report.range.start.isoformat(), "end": report.range.end.isoformat(),
                  "school_weeks": report.weeks},
        "leaders": [
            {"id": line.id, "name": line.name, "hours": round(line.summary.total_hours, 2),
             "hours_per_week": round(line.summary.hours_per_week, 2), "activities": line.summary.activities,
             "by_activity": {k: round(v, 2) for k, v in line.summary.by_activity.items()},
             "no_submissions": not line.submitted, "late": line.late, "collector_state": line.state}
            for line in report.leaders
        ],
        "trends": {
            "total_hours": round(report.total_hours, 2),
            "average_hours_per_week_per_leader": round(report.average_per_week, 2),
            "average_hours_per_week_by_activity": {k: round(v, 2) for k, v in report.per_week_by_activity.items()},
            "administrative_share": round(report.admin_share, 4),
            "coaching_share": round(report.coaching_share, 4),
            "other": {"hours": round(report.other_hours, 2), "activities": report.other_count},
            "previous": None if report.previous_total is None else
            {"label": report.previous_label, "total_hours": round(report.previous_total, 2),
             "change_hours": round(report.total_hours - report.previous_total, 2)},
            "weekly": [{"week_of": monday.isoformat(), "hours": round(hours, 2)} for monday, hours in report.weekly],
        },
        "teachers": {
            "supported": [{"name": t.name, "hours": round(t.hours, 2), "leaders": t.leaders, "grade": t.grade, "team": t.team,
                           "on_roster": t.on_roster} for t in report.teachers],
            "no_support": [t.name for t in report.unsupported],
            "several_leaders": [t.name for t in report.several_leaders],
            "coverage": [{"group": c.group, "teachers": c.teachers, "supported": c.supported, "hours": round(c.hours, 2)}
                         for c in report.coverage],
        },
        "data_quality": {
            "late": [{"leader": r["leader"], "date": r["date"], "start": r["start"], "file": r["file"]} for r in report.late_rows],
            "refused": report.refused,
            "missing_snapshots": report.missing_snapshots,
        },
    }


def to_json(report: CampusReport, taxonomy: Taxonomy) -> str:
    return json.dumps(as_dict(report, taxonomy), indent=2, ensure_ascii=False) + "\n"


def district_json(district: DistrictReport, taxonomy: Taxonomy) -> str:
    data = {
        "version": REPORT_SHAPE_VERSION,
        "range": {"label": district.range.label, "start": district.range.start.isoformat(), "end": district.range.end.isoformat()},
        "counts": district.counts,
        "campuses": [{"id": c.campus.id, "name": c.campus.name, "total_hours": round(c.total_hours, 2),
                      "leaders": len(c.leaders), "no_submissions": [x.id for x in c.leaders if not x.submitted],
                      "teachers_without_support": len(c.unsupported)} for c in district.campuses],
        "leaders": district.leader_states,
        "problems": district.problems,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def csv_tables(report: CampusReport, taxonomy: Taxonomy) -> dict[str, str]:
    """One CSV per table: leaders, activities (trend), teachers, coverage, quality."""
    codes = [a.code for a in taxonomy.activities]
    tables: dict[str, list[dict]] = {
        "leaders": [{"leader": x.id, "name": x.name, "hours": _h(x.summary.total_hours), "hours_per_week": _h(x.summary.hours_per_week),
                     "activities": x.summary.activities, "no_submissions": not x.submitted, "late": x.late,
                     **{code: _h(x.summary.by_activity.get(code, 0.0)) for code in codes}} for x in report.leaders],
        "activities": [{"activity": a.code, "name": a.name, "average_hours_per_week_per_leader": _h(report.per_week_by_activity[a.code])}
                       for a in taxonomy.activities],
        "teachers": [{"name": t.name, "hours": _h(t.hours), "leaders": t.leaders, "grade": t.grade or "", "team": t.team or "",
                      "on_roster": t.on_roster, "no_support": t in report.unsupported}
                     for t in report.teachers + report.unsupported],
        "coverage": [{"group": c.group, "teachers": c.teachers, "supported": c.supported, "hours": _h(c.hours)} for c in report.coverage],
        "quality": [{"kind": "late", "leader": r["leader"], "file": r["file"], "line": "", "code": "late"} for r in report.late_rows]
        + [{"kind": "refused", **p} for p in report.refused]
        + [{"kind": "missing-snapshot", "leader": x, "file": "", "line": "", "code": ""} for x in report.missing_snapshots],
    }
    out = {}
    for name, rows in tables.items():
        buffer = io.StringIO()
        columns = list(rows[0]) if rows else ["empty"]
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        out[name] = buffer.getvalue()
    return out


def to_markdown(report: CampusReport, taxonomy: Taxonomy, markdown: bool = True) -> str:
    """Markdown, or plain text for the terminal (same content, bars instead of tables' pipes)."""
    t = taxonomy
    out = [f"# {report.campus.name} — {report.range.label}" if markdown else f"{report.campus.name} — {report.range.label}", ""]
    out.append(f"{len(report.leaders)} teacher leader(s), {_h(report.total_hours)} hours in {report.weeks:g} school weeks; "
               f"{_h(report.average_per_week)} hours per week per leader; {_change(report)}.")
    out += ["", "## Leaders" if markdown else "LEADERS", ""]
    header = ["leader", "hours", "h/week", "activities"] + [a.short for a in t.activities]
    rows = []
    for line in report.leaders:
        flag = " ⚠ no submissions: 0 hours" if not line.submitted else ""
        rows.append([line.name + flag, _h(line.summary.total_hours), _h(line.summary.hours_per_week), str(line.summary.activities)]
                    + [_h(line.summary.by_activity.get(a.code, 0.0)) for a in t.activities])
    out += _table(header, rows, markdown)
    out += ["", "## Campus trends" if markdown else "CAMPUS TRENDS", ""]
    biggest = max(report.per_week_by_activity.values(), default=0)
    trend_rows = [[a.short, _h(report.per_week_by_activity[a.code]), bar(report.per_week_by_activity[a.code], biggest, 24)] for a in t.activities]
    out += _table(["activity", "avg h/week per leader", ""], trend_rows, markdown)
    out += ["", f"Administrative duties: {report.admin_share:.0%} of the time; teacher coaching: {report.coaching_share:.0%}.",
            f"Other: {report.other_count} activit{'y' if report.other_count == 1 else 'ies'}, {_h(report.other_hours)} hours.",
            f"Change: {_change(report)}."]
    out += ["", "## Teachers" if markdown else "TEACHERS", ""]
    out += _table(["teacher", "hours", "leaders", "grade", "team"],
                  [[x.name + ("" if x.on_roster else " (not on roster)"), _h(x.hours), str(x.leaders), x.grade or "", x.team or ""]
                   for x in report.teachers], markdown) or ["(no time with teachers in this range)"]
    out += ["", "No support in this range: " + ("; ".join(x.name for x in report.unsupported) or "none — every roster teacher was supported.")]
    out += ["Supported by several leaders: " + ("; ".join(x.name for x in report.several_leaders) or "none.")]
    out += ["", "Coverage by grade level and team:", ""]
    out += _table(["group", "teachers", "supported", "hours"],
                  [[c.group + (" ⚠ no support" if c.supported == 0 else ""), str(c.teachers), str(c.supported), _h(c.hours)]
                   for c in report.coverage], markdown)
    out += ["", "## Data quality" if markdown else "DATA QUALITY", ""]
    out.append(f"Late records: {len(report.late_rows)}.")
    for r in report.late_rows[:50]:
        out.append(f"- {r['leader']}: {r['date']} {r['start']} ({r['file']})")
    out.append(f"Refused records: {len(report.refused)}.")
    for p in report.refused[:50]:
        out.append(f"- {p['leader']}: {p['file']}:{p['line']} {p['code']}")
    out.append("Leaders whose last snapshot is missing: " + (", ".join(report.missing_snapshots) or "none."))
    return "\n".join(out) + "\n"


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if not rows:
        return []
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return lines + ["| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return [fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]


def district_markdown(district: DistrictReport, taxonomy: Taxonomy, markdown: bool = True) -> str:
    out = [f"# District overview — {district.range.label}" if markdown else f"District overview — {district.range.label}", ""]
    c = district.counts
    if c:
        out.append(f"Records read {c.get('read', 0)}, accepted {c.get('accepted', 0)}, refused {c.get('refused', 0)}.")
    out += ["", "## Campuses" if markdown else "CAMPUSES", ""]
    out += _table(["campus", "leaders", "hours", "h/week per leader", "no submissions", "teachers without support"],
                  [[x.campus.name, str(len(x.leaders)), _h(x.total_hours), _h(x.average_per_week),
                    ", ".join(line.name for line in x.leaders if not line.submitted) or "-", str(len(x.unsupported))]
                   for x in district.campuses], markdown)
    out += ["", "## Leaders" if markdown else "LEADERS", ""]
    out += _table(["leader", "state", "records", "late", "problems", "last seen"],
                  [[s["leader"], s["state"], str(s["records"]), str(s["late"]), str(s["problems"]), s["last_seen"] or "-"]
                   for s in district.leader_states], markdown)
    out += ["", "## Problems" if markdown else "PROBLEMS", ""]
    out += [f"- {p['leader']}: {p['file']}:{p['line']}:{p['column']}: {p['code']}: {p['message']}" for p in district.problems] or ["None."]
    return "\n".join(out) + "\n"
