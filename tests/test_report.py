"""Campus reports: every metric against hand-computed numbers on a small fixed dataset;
CSV, JSON and a real headless Chromium for the HTML page; campus isolation."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from ledger_tt.paths import SCHEMA_DIR
from ledger_tt.program import load_program
from ledger_tt.report.compute import campus_report
from ledger_tt.summary import period_range

from .conftest import PROGRAM_2013

PROGRAM = load_program(PROGRAM_2013)


def row(leader, campus, date, start, end, hours, activity, with_, people=(), late=False):
    return {"leader": leader, "campus": campus, "date": date, "start": start, "end": end, "hours": hours, "activity": activity,
            "task": "", "with": with_, "people": list(people), "period": None, "month": date[:7], "late": late,
            "first_seen": "2013-11-18T06:00:00+00:00", "commit": "c0ffee", "file": f"activities/{date[:7]}/{date}-{start.replace(':', '')}.yaml"}


ROWS = [
    row("agarcia", "lamar-hs", "2013-10-28", "08:00", "09:00", 1.0, "planning", "self"),  # period 1
    row("agarcia", "lamar-hs", "2013-11-04", "08:00", "09:00", 1.0, "coaching-instruction", "individual", ["Doe, Jane"]),
    row("agarcia", "lamar-hs", "2013-11-05", "10:00", "11:30", 1.5, "coaching-data", "group", ["Doe, Jane", "Patel, Ravi"]),
    row("agarcia", "lamar-hs", "2013-11-12", "13:00", "15:00", 2.0, "administrative", "self"),
    row("bwashington", "lamar-hs", "2013-11-06", "08:00", "08:30", 0.5, "coaching-instruction", "individual", ["Patel, Ravi"]),
    row("bwashington", "lamar-hs", "2013-11-13", "09:00", "10:00", 1.0, "other", "self", late=True),
    row("cokafor", "wheatley-hs", "2013-11-07", "08:00", "10:00", 2.0, "coaching-instruction", "individual", ["Nguyen, Bao"]),
    row("dkim", "wheatley-hs", "2013-11-08", "08:00", "09:00", 1.0, "planning", "group", ["Nguyen, Bao", "Thompson, Alicia"]),
    row("dkim", "wheatley-hs", "2013-12-30", "08:00", "12:00", 4.0, "planning", "self"),  # period 5, the winter one
]
PROBLEMS = [
    {"leader": "agarcia", "file": "activities/2013-11/2013-11-14-0800.yaml", "line": 7, "column": 10, "severity": "error",
     "code": "not-on-roster", "message": "'Smith, John' is not on the Lamar High School roster", "hint": ""},
    {"leader": "cokafor", "file": "activities/2013-11/2013-11-14-0900.yaml", "line": 7, "column": 10, "severity": "error",
     "code": "not-on-roster", "message": "'Nguyen, Linh' is not on the Wheatley High School roster", "hint": ""},
]
STATES = {"agarcia": "ok", "bwashington": "unreachable", "cokafor": "ok", "dkim": "ok", "emorales": "no-snapshot"}


def lamar(period=2):
    return campus_report(PROGRAM, PROGRAM.campuses["lamar-hs"], period_range(PROGRAM.calendar, period), ROWS, PROBLEMS, STATES)


def test_leaders_hours_per_week_and_activities_by_activity():
    report = lamar()
    assert report.weeks == 2.0
    ana, brian = report.leaders
    assert (ana.name, ana.summary.total_hours, ana.summary.hours_per_week, ana.summary.activities) == ("Ana Garcia", 4.5, 2.25, 3)
    assert {k: v for k, v in ana.summary.by_activity.items() if v} == {"coaching-instruction": 1.0, "coaching-data": 1.5, "administrative": 2.0}
    assert (brian.summary.total_hours, brian.summary.hours_per_week, brian.summary.activities, brian.late) == (1.5, 0.75, 2, 1)


def test_a_leader_with_no_submissions_shows_zero_hours_and_is_flagged():
    pershing = campus_report(PROGRAM, PROGRAM.campuses["pershing-ms"], period_range(PROGRAM.calendar, 2), ROWS, PROBLEMS, STATES)
    assert [(x.id, x.summary.total_hours, x.submitted) for x in pershing.leaders] == [("dkim", 0.0, False), ("emorales", 0.0, False)]
    from ledger_tt.report.render import to_markdown

    assert "Elena Morales ⚠ no submissions: 0 hours" in to_markdown(pershing, PROGRAM.taxonomy)


def test_campus_trends_shares_other_and_change_from_the_previous_period():
    report = lamar()
    assert report.total_hours == 6.0
    assert report.average_per_week == 1.5  # 6 h / 2 weeks / 2 leaders
    assert {k: v for k, v in report.per_week_by_activity.items() if v} == {
        "coaching-instruction": 0.375, "coaching-data": 0.375, "administrative": 0.5, "other": 0.25}
    assert round(report.admin_share, 4) == 0.3333 and report.coaching_share == 0.5
    assert (report.other_count, report.other_hours) == (1, 1.0)
    assert (report.previous_label, report.previous_total) == ("Period 1 (Oct 21 – Nov 3, 2013)", 1.0)
    assert [(str(monday), hours) for monday, hours in report.weekly] == [("2013-11-04", 3.0), ("2013-11-11", 3.0)]


def test_teachers_time_leaders_no_support_several_leaders_and_coverage():
    report = lamar()
    assert [(t.name, t.hours, t.leaders) for t in report.teachers] == [("Doe, Jane", 2.5, 1), ("Patel, Ravi", 2.0, 2)]
    assert [t.name for t in report.several_leaders] == ["Patel, Ravi"]
    assert sorted(t.name for t in report.unsupported) == sorted([
        "Nguyen, Linh", "Okonkwo, Grace", "Hernandez, Luis", "Schmidt, Karen", "Brooks, Tanya", "Alvarez, Marco", "Johnson, Derek", "Lee, Soo-jin"])
    coverage = {c.group: (c.teachers, c.supported, c.hours) for c in report.coverage}
    assert coverage == {
        "grade 9": (3, 1, 2.5), "grade 10": (3, 1, 2.0), "grade 11": (2, 0, 0.0), "grade 12": (2, 0, 0.0),
        "team English": (3, 1, 2.5), "team Math": (3, 1, 2.0), "team Science": (2, 0, 0.0), "team Social Studies": (2, 0, 0.0),
    }


def test_data_quality_late_refused_and_missing_snapshots():
    report = lamar()
    assert [r["date"] for r in report.late_rows] == ["2013-11-13"]
    assert report.refused == [{"leader": "agarcia", "file": "activities/2013-11/2013-11-14-0800.yaml", "line": 7, "code": "not-on-roster"}]
    assert report.missing_snapshots == ["bwashington"]


def test_hours_per_week_leave_out_breaks_in_the_four_week_winter_period():
    wheatley = campus_report(PROGRAM, PROGRAM.campuses["wheatley-hs"], period_range(PROGRAM.calendar, 5), ROWS, PROBLEMS, STATES)
    assert wheatley.weeks == 2.0  # Dec 23 – Jan 19 is four calendar weeks, two of them winter break
    dkim = next(x for x in wheatley.leaders if x.id == "dkim")
    assert (dkim.summary.total_hours, dkim.summary.hours_per_week) == (4.0, 2.0)
    thanksgiving = campus_report(PROGRAM, PROGRAM.campuses["lamar-hs"], period_range(PROGRAM.calendar, 3), ROWS, PROBLEMS, STATES)
    assert thanksgiving.weeks == 2.0  # Nov 18 – Dec 8: three weeks, Thanksgiving week off


# ---------------------------------------------------------------- files, from the CLI


@pytest.fixture
def dataset(tmp_path) -> Path:
    out = tmp_path / "cache" / "dataset"
    out.mkdir(parents=True)
    (out / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    (out / "problems.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PROBLEMS))
    status = [{"leader": k, "name": k, "campuses": [], "state": v, "last_commit": "", "last_seen": "", "records": 0,
               "problems": 0, "late": 0, "error": ""} for k, v in STATES.items()]
    (out / "summary.json").write_text(json.dumps({"program": PROGRAM.id, "as_of": "2013-11-18T06:00:00+00:00",
                                                  "counts": {"read": 11, "accepted": 9, "refused": 2, "parsed": 0}, "leaders": status}))
    return tmp_path / "cache"


def report_files(cli, cache, fmt, *extra) -> Path:
    out = cache / f"out-{fmt}"
    result = cli("report", "--program", str(PROGRAM_2013), "--cache", str(cache), "--period", "2", "--format", fmt, "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


def test_csv_tables_open_with_the_csv_module_into_the_expected_rows(cli, dataset):
    out = report_files(cli, dataset, "csv")
    leaders = list(csv.DictReader((out / "lamar-hs-leaders.csv").open()))
    assert [(r["leader"], r["hours"], r["hours_per_week"], r["activities"], r["administrative"]) for r in leaders] == [
        ("agarcia", "4.50", "2.25", "3", "2.00"), ("bwashington", "1.50", "0.75", "2", "0.00")]
    coverage = {r["group"]: (r["teachers"], r["supported"]) for r in csv.DictReader((out / "lamar-hs-coverage.csv").open())}
    assert coverage["team Science"] == ("2", "0")
    teachers = list(csv.DictReader((out / "lamar-hs-teachers.csv").open()))
    assert teachers[0]["name"] == "Doe, Jane" and teachers[0]["hours"] == "2.50"


def test_json_report_validates_against_the_documented_shape(cli, dataset):
    out = report_files(cli, dataset, "json")
    schema = json.loads((SCHEMA_DIR / "report.schema.json").read_text())
    for campus in ("lamar-hs", "wheatley-hs", "pershing-ms"):
        data = json.loads((out / f"{campus}.json").read_text())
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    lamar_json = json.loads((out / "lamar-hs.json").read_text())
    assert lamar_json["trends"]["previous"] == {"label": "Period 1 (Oct 21 – Nov 3, 2013)", "total_hours": 1.0, "change_hours": 5.0}
    assert json.loads((out / "district.json").read_text())["counts"]["refused"] == 2


@pytest.mark.parametrize("fmt", ["text", "md", "csv", "json", "html"])
def test_a_campus_report_holds_no_name_from_another_campus(cli, dataset, fmt):
    out = report_files(cli, dataset, fmt)
    lamar_text = "".join(p.read_text() for p in out.glob("lamar-hs*"))
    wheatley_text = "".join(p.read_text() for p in out.glob("wheatley-hs*"))
    assert "Doe, Jane" in lamar_text and "Nguyen, Bao" in wheatley_text
    for foreign in ("Nguyen, Bao", "Thompson, Alicia", "Chioma", "cokafor", "Wheatley", "Pershing", "Elena Morales"):
        assert foreign not in lamar_text, foreign
    for foreign in ("Nguyen, Linh", "Doe, Jane", "Patel, Ravi", "Ana Garcia", "agarcia", "Lamar"):
        assert foreign not in wheatley_text, foreign
    # the district overview is a separate file and may hold everything
    assert list(out.glob("district.*")) or fmt == "csv"


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

PROBE = """<script>
window.addEventListener('load', () => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    if (e.closest('.table-wrap')) return false;  /* tables scroll inside their own box on a phone */
    const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1; });
  const out = document.createElement('pre'); out.id = 'probe';
  out.textContent = JSON.stringify({width, scroll: document.documentElement.scrollWidth,
    charts: [...document.querySelectorAll('svg.chart')].map(s => s.id + ':' + s.querySelectorAll('rect').length),
    wide: wide.slice(0, 5).map(e => e.tagName + '.' + e.className)});
  document.body.appendChild(out);
});
</script></body>"""


def chromium(*args, timeout=60) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("width", [1024, 390], ids=["desktop", "phone"])
def test_the_html_report_loads_in_chromium_with_its_charts_and_nothing_overflows(cli, dataset, tmp_path, width):
    out = report_files(cli, dataset, "html")
    page = out / "lamar-hs.html"
    text = page.read_text()
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text  # self-contained
    probed = tmp_path / "probed.html"
    probed.write_text(text.replace("</body>", PROBE))
    profile = tmp_path / "profile"
    dom = chromium(f"--user-data-dir={profile}", f"--window-size={width},900", "--virtual-time-budget=3000", "--dump-dom", probed.as_uri())
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout)
    assert match, dom.stderr[-2000:]
    probe = json.loads(match.group(1).replace("&quot;", '"'))
    assert probe["scroll"] <= probe["width"], probe
    assert probe["wide"] == [], probe
    charts = dict(c.split(":") for c in probe["charts"])
    assert set(charts) == {"chart-leaders", "chart-weekly", "chart-coverage"} and all(int(n) > 0 for n in charts.values())
    shot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    chromium(f"--user-data-dir={profile}", f"--window-size={width},2000", f"--screenshot={shot}", page.as_uri())
    chromium(f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.read_bytes().count(b"/Type /Page") >= 1


def test_the_leaders_own_summary_matches_the_campus_report(cli, tmp_path):
    """agarcia serves one campus: `ledger-tt summary` and the Lamar report must agree."""
    demo = tmp_path / "demo"
    assert cli("collect", "--demo", "--cache", str(demo)).exit_code == 0
    from ledger_tt.report.data import load_dataset

    data = load_dataset(demo / "dataset")
    program = load_program(demo / "program")
    report = campus_report(program, program.campuses["lamar-hs"], period_range(program.calendar, 3), data.rows, data.problems,
                           {s["leader"]: s["state"] for s in data.status})
    ana = next(x for x in report.leaders if x.id == "agarcia")
    from .conftest import SAMPLE_LEDGERS

    own = cli("summary", "--ledger", str(SAMPLE_LEDGERS / "agarcia"), "--period", "3").stdout
    assert f"{ana.summary.total_hours:.2f} hours in {ana.summary.activities} activities, {ana.summary.hours_per_week:.2f} hours per school week" in own
    for activity in program.taxonomy.activities:
        assert f"{activity.short:24} {ana.summary.by_activity[activity.code]:6.2f}" in own
