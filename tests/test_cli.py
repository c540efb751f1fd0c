"""init, add, check, entries as a leader uses them, on real git repositories."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess

from ledger_tt.paths import LEDGERS_DIR

from .conftest import SAMPLE_LEDGERS, git_log, git_status, write

ADD = ["--date", "2013-11-04", "--start", "8:30", "--end", "4:00 PM", "--activity", "1", "--with", "individual", "-p", "Doe, Jane"]


def test_init_creates_a_git_ledger_with_profile_hook_and_first_commit(ledger):
    assert (ledger / "ledger.yaml").read_text().startswith("leader: agarcia\nname: Ana Garcia\n")
    assert (ledger / ".git/hooks/pre-commit").stat().st_mode & 0o111
    assert git_log(ledger) == ["Start Ana Garcia's ledger for Career Pathways 2013-14 (sample district)"]
    assert git_status(ledger) == ""


def test_init_refuses_to_clobber_an_existing_ledger(cli, ledger):
    before = (ledger / "ledger.yaml").read_text()
    result = cli("init", str(ledger), "--program", "career-pathways-2013-14", "--leader", "bwashington")
    assert result.exit_code == 1
    assert "already holds a ledger" in result.stderr
    assert (ledger / "ledger.yaml").read_text() == before


def test_init_without_who_you_are_is_a_usage_error(cli, tmp_path):
    result = cli("init", str(tmp_path / "x"))
    assert result.exit_code == 2 and "missing --leader, --name, --email, --campus" in result.stderr
    assert not (tmp_path / "x").exists()


def test_add_writes_one_file_in_24h_and_commits_it(cli, ledger):
    result = cli("add", "--ledger", str(ledger), *ADD, "--task", "Co-taught a lesson", "--notes", "Debrief Thursday.")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Saved activities/2013-11/2013-11-04-0830.yaml\nCommitted ")
    assert (ledger / "activities/2013-11/2013-11-04-0830.yaml").read_text() == (
        'date: 2013-11-04\nstart: "08:30"\nend: "16:00"\ncampus: lamar-hs\nactivity: coaching-instruction\n'
        'task: Co-taught a lesson\nwith: individual\npeople: ["Doe, Jane"]\nnotes: Debrief Thursday.\n'
    )
    assert git_log(ledger)[0] == "Log 2013-11-04 08:30-16:00 coaching-instruction at lamar-hs with Doe, Jane"
    assert git_status(ledger) == ""
    assert cli("check", str(ledger)).exit_code == 0


def test_add_from_inside_the_ledger_uses_the_current_directory(cli, ledger):
    result = cli("add", *ADD, cwd=ledger / "activities")
    assert result.exit_code == 0 and (ledger / "activities/2013-11/2013-11-04-0830.yaml").exists()


def test_invalid_add_names_each_field_and_its_fix_and_writes_nothing(cli, ledger):
    result = cli("add", "--ledger", str(ledger), "--date", "2013-11-04", "--start", "25:00", "--end", "9:00",
                 "--activity", "coaching", "--with", "group", "-p", "Mr. Doe")
    assert result.exit_code == 1
    assert "error[bad-time]: --start: '25:00' has hour 25; hours run 0-23" in result.stderr
    assert "error[unknown-activity]: --activity: activity 'coaching' is not one of" in result.stderr
    assert "error[name-has-title]: --person: 'Mr. Doe' has a title" in result.stderr
    assert "hint: Write the name without Mr./Mrs./Ms./Dr." in result.stderr
    assert "nothing was written" in result.stderr
    assert not (ledger / "activities/2013-11").exists()
    assert len(git_log(ledger)) == 1


def test_add_refuses_an_overlap_and_names_the_other_file(cli, ledger):
    assert cli("add", "--ledger", str(ledger), *ADD).exit_code == 0
    result = cli("add", "--ledger", str(ledger), "--date", "2013-11-04", "--start", "9:00", "--end", "10:00",
                 "--activity", "planning", "--with", "self")
    assert result.exit_code == 1
    assert "overlaps 08:30-16:00 in activities/2013-11/2013-11-04-0830.yaml" in result.stderr


def test_check_is_silent_and_exits_0_on_the_sample_ledgers(cli):
    result = cli("check", str(SAMPLE_LEDGERS))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_a_file_that_is_not_yaml_is_one_problem_and_the_others_are_still_checked(cli, sample_copy):
    write(sample_copy, "activities/2013-11/broken.yaml", "date: [2013-11-04\nstart: '8:00\n")
    write(sample_copy, "activities/2013-11/late.yaml", 'date: 2013-11-04\nstart: "18:00"\nend: "17:00"\ncampus: lamar-hs\nactivity: planning\nwith: self\n')
    result = cli("check", str(sample_copy))
    assert result.exit_code == 1
    lines = [line for line in result.stdout.splitlines() if not line.startswith("  hint")]
    assert len(lines) == 2
    assert "broken.yaml:" in lines[0] and "error[yaml-syntax]" in lines[0]
    assert "late.yaml:3:6: error[end-before-start]" in lines[1]


def test_check_of_a_single_file_reports_only_that_file(cli, sample_copy):
    bad = write(sample_copy, "activities/2013-11/x.yaml", 'date: 2013-11-04\nstart: "18:00"\nend: "19:00"\ncampus: lamar-hs\nactivity: planning\nwith: solo\n')
    good = next((sample_copy / "activities/2013-12").glob("*.yaml"))
    assert cli("check", str(good)).exit_code == 0
    result = cli("check", str(bad), "--format", "json")
    [problem] = json.loads(result.stdout)
    assert problem == {
        "file": problem["file"], "line": 6, "column": 7, "severity": "error", "code": "bad-with",
        "message": "with: 'solo' is not one of individual, group, students, self",
        "hint": "Use one of: individual, group, students, self.",
    }


def test_check_usage_errors_exit_2(cli, tmp_path):
    assert cli("check", str(tmp_path / "missing")).exit_code == 2
    assert cli("check", "--format", "xml", str(tmp_path)).exit_code == 2


def test_entries_filters_by_date_activity_and_with_and_totals_hours(cli, sample_copy):
    result = cli("entries", "--ledger", str(sample_copy), "--from", "2013-11-04", "--to", "2013-11-17", "--format", "json")
    data = json.loads(result.stdout)
    assert data["count"] == len(data["entries"]) > 5
    assert all("2013-11-04" <= e["date"] <= "2013-11-17" for e in data["entries"])
    assert data["total_hours"] == round(sum(e["hours"] for e in data["entries"]), 2)
    dates = [(e["date"], e["start"]) for e in data["entries"]]
    assert dates == sorted(dates, reverse=True)  # newest first

    by_number = json.loads(cli("entries", "--ledger", str(sample_copy), "--activity", "1", "--format", "json").stdout)
    by_code = json.loads(cli("entries", "--ledger", str(sample_copy), "--activity", "coaching-instruction", "--format", "json").stdout)
    assert by_number == by_code and {e["activity"] for e in by_code["entries"]} == {"coaching-instruction"}

    rows = list(csv.DictReader(io.StringIO(cli("entries", "--ledger", str(sample_copy), "--with", "self", "--format", "csv").stdout)))
    assert rows and {r["with"] for r in rows} == {"self"} and {r["people"] for r in rows} == {""}


def test_entries_table_shows_the_total(cli, ledger):
    cli("add", "--ledger", str(ledger), *ADD)
    result = cli("entries", "--ledger", str(ledger))
    assert "Ana Garcia — 1 activities, 7.50 hours" in result.stdout


def test_the_installed_command_and_python_m_both_run(tmp_path):
    for command in (["ledger-tt"], [shutil.which("python3") or "python3", "-m", "ledger_tt"]):
        out = subprocess.run([*command, "program", str(LEDGERS_DIR / "career-pathways-2013-14")], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert "Period 10 (Mar 17 – Mar 30, 2014)" in out.stdout


def test_status_with_a_broken_profile_says_so_instead_of_crashing(cli, ledger):
    write(ledger, "ledger.yaml", "broken: [\n")
    result = cli("status", "--ledger", str(ledger))
    assert result.exit_code == 1 and "ledger.yaml has problems: run `ledger-tt check`" in result.stderr
